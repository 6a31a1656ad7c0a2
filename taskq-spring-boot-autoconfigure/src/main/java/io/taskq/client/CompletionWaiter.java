package io.taskq.client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.taskq.JobId;
import io.taskq.JobState;
import io.taskq.support.redis.KeySpace;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Completes {@link JobClient#whenFinished} futures: with the status once the job's record
 * reaches a final state, or with a {@link JobNotTrackedException} at the first read that
 * finds no record. Workers announce every tracked job that reaches a final state on its
 * queue's done channel; a message makes this re-read that job's record at once. Every
 * poll interval it also re-reads the records of all awaited jobs, so a message lost in a
 * reconnect only delays a completion.
 * <p>
 * Nothing runs before the first wait: the thread and the subscription start then, and the
 * thread sends nothing to Redis while nobody waits.
 */
final class CompletionWaiter {

	private static final Log logger = LogFactory.getLog(CompletionWaiter.class);

	private final RedisConnectionFactory connectionFactory;

	private final KeySpace keys;

	private final JobRecords records;

	private final long pollMillis;

	private final Map<Awaited, List<CompletableFuture<JobStatus>>> waiting = new ConcurrentHashMap<>();

	private final LinkedBlockingQueue<Awaited> toCheck = new LinkedBlockingQueue<>();

	/** The queue of each subscribed done channel. */
	private final Map<String, String> queuesByChannel = new ConcurrentHashMap<>();

	private @Nullable RedisConnection subscription;

	private @Nullable Thread thread;

	private volatile boolean running = true;

	CompletionWaiter(RedisConnectionFactory connectionFactory, KeySpace keys, JobRecords records, long pollMillis) {
		this.connectionFactory = connectionFactory;
		this.keys = keys;
		this.records = records;
		this.pollMillis = pollMillis;
	}

	CompletableFuture<JobStatus> whenFinished(String queue, JobId id) {
		// Fails here, not in the waiting thread, for a queue name that cannot be a key.
		this.keys.queue(queue);
		CompletableFuture<JobStatus> future = new CompletableFuture<>();
		Awaited awaited = new Awaited(queue, id);
		this.waiting.compute(awaited, (key, futures) -> {
			List<CompletableFuture<JobStatus>> list = (futures != null) ? futures : new CopyOnWriteArrayList<>();
			list.add(future);
			return list;
		});
		future.whenComplete((status, ex) -> forget(awaited, future));
		start();
		subscribe(queue);
		this.toCheck.add(awaited);
		return future;
	}

	void stop() {
		this.running = false;
		Thread thread;
		RedisConnection subscription;
		synchronized (this) {
			thread = this.thread;
			subscription = this.subscription;
			this.subscription = null;
		}
		if (thread != null) {
			thread.interrupt();
		}
		closeQuietly(subscription);
		this.waiting.values()
			.forEach((futures) -> futures.forEach((future) -> future.completeExceptionally(
					new IllegalStateException("The job client was closed before the job finished"))));
	}

	private synchronized void start() {
		if (this.thread == null && this.running) {
			Thread thread = new Thread(this::run, "taskq-completion-waiter");
			thread.setDaemon(true);
			thread.start();
			this.thread = thread;
		}
	}

	/** Best effort: without the subscription, polling still completes every wait. */
	private synchronized void subscribe(String queue) {
		String channel = this.keys.queue(queue).doneChannel();
		if (this.queuesByChannel.containsKey(channel) || !this.running) {
			return;
		}
		try {
			byte[] name = channel.getBytes(StandardCharsets.UTF_8);
			if (this.subscription == null || !this.subscription.isSubscribed()) {
				closeQuietly(this.subscription);
				this.queuesByChannel.clear();
				this.subscription = this.connectionFactory.getConnection();
				this.subscription.subscribe(this::onMessage, name);
			}
			else {
				this.subscription.getSubscription().subscribe(name);
			}
			this.queuesByChannel.put(channel, queue);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not subscribe to job completions of queue '" + queue + "'; polling instead", ex);
		}
	}

	private void onMessage(Message message, byte @Nullable [] pattern) {
		String queue = this.queuesByChannel.get(new String(message.getChannel(), StandardCharsets.UTF_8));
		String jobId = new String(message.getBody(), StandardCharsets.UTF_8);
		if (queue != null && !jobId.isEmpty()) {
			Awaited awaited = new Awaited(queue, JobId.of(jobId));
			if (this.waiting.containsKey(awaited)) {
				this.toCheck.add(awaited);
			}
		}
	}

	private void run() {
		long nextSweep = System.currentTimeMillis() + this.pollMillis;
		while (this.running) {
			try {
				long wait = Math.max(1, nextSweep - System.currentTimeMillis());
				Awaited next = this.toCheck.poll(wait, TimeUnit.MILLISECONDS);
				if (next != null) {
					check(next);
				}
				// On a timer, not when idle: a steady flow of announcements must not
				// starve the re-reads that cover lost ones.
				if (System.currentTimeMillis() >= nextSweep) {
					nextSweep = System.currentTimeMillis() + this.pollMillis;
					this.waiting.keySet().forEach(this::check);
					this.waiting.keySet().stream().map(Awaited::queue).distinct().forEach(this::subscribe);
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				// Never let the thread die: every later wait would hang.
				logger.warn("Checking awaited jobs failed; trying again", ex);
			}
		}
	}

	private void check(Awaited awaited) {
		List<CompletableFuture<JobStatus>> futures = this.waiting.get(awaited);
		if (futures == null || futures.isEmpty()) {
			return;
		}
		try {
			JobStatus status = this.records.status(awaited.queue(), awaited.id());
			if (status.state().isFinal()) {
				futures.forEach((future) -> future.complete(status));
			}
			else if (status.state() == JobState.UNKNOWN) {
				// Issue 16: no record, none will come. A tracked job's record is written
				// in the enqueue's own script, so it exists once submit has returned.
				JobNotTrackedException untracked = new JobNotTrackedException(awaited.queue(), awaited.id());
				futures.forEach((future) -> future.completeExceptionally(untracked));
			}
		}
		catch (DataAccessException ex) {
			logger.debug("Could not read the state of job " + awaited.id() + "; trying again", ex);
		}
		catch (RuntimeException ex) {
			futures.forEach((future) -> future.completeExceptionally(ex));
		}
	}

	private void forget(Awaited awaited, CompletableFuture<JobStatus> future) {
		this.waiting.computeIfPresent(awaited, (key, futures) -> {
			futures.remove(future);
			return futures.isEmpty() ? null : futures;
		});
	}

	private static void closeQuietly(@Nullable RedisConnection connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				// Broken already.
			}
		}
	}

	private record Awaited(String queue, JobId id) {
	}

}
