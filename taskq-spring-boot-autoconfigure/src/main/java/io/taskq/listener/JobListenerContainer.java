package io.taskq.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskq.retry.FailedJobWriter;
import io.taskq.support.JobObserver;
import io.taskq.support.QueueKeys;
import io.taskq.support.TaskqScript;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.DefaultStringRedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StringRecord;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Runs the jobs of one queue: a fetcher thread reads the queue's stream through the
 * consumer group, a fixed pool of workers runs the handlers, and an {@link OutcomeWriter}
 * acknowledges them in batches.
 * <p>
 * Round trips per job on the hot path: one XREADGROUP per batch of up to
 * {@code concurrency} jobs (on a dedicated connection, since it blocks) and one ack
 * script (XACK + XDEL) per batch of finished jobs. Nothing is written per job otherwise.
 * <p>
 * The fetcher never asks for more jobs than there are free worker slots, so no job waits
 * in memory where a crash would strand it. Between reads it also takes over jobs of dead
 * consumers and refreshes the claim of jobs running here for long
 * ({@link PendingClaims}).
 */
public class JobListenerContainer {

	private static final Log logger = LogFactory.getLog(JobListenerContainer.class);

	private static final RedisScript<Long> REQUEUE = TaskqScript.load(JobListenerContainer.class, "requeue.lua",
			Long.class);

	private static final RedisScript<List> CONTROLS = TaskqScript.load(JobListenerContainer.class, "controls.lua",
			List.class);

	/** Longest the fetcher waits for slots to free up while draining a backlog. */
	private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private final QueueKeys keys;

	private final ListenerOptions options;

	private final int concurrency;

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final JobProcessor processor;

	private final OutcomeWriter outcomes;

	private final PendingClaims claims;

	private final JobObserver observer;

	private final Semaphore slots;

	/** Every job running here, by stream entry id. */
	private final Map<String, Execution> inFlight = new ConcurrentHashMap<>();

	private final CancelledJobs cancelled;

	private final TimeoutWatchdog watchdog;

	private final ThreadPoolExecutor workers;

	private final Thread fetcher;

	private final FailureBackoff fetchBackoff;

	private volatile boolean running;

	private volatile boolean abandoned;

	private volatile boolean paused;

	private final Object pauseMonitor = new Object();

	private long nextControlsCheck;

	/**
	 * Cancellations requested since this time (epoch millis) are read on the next check.
	 */
	private long cancelledSince;

	/** Whether the last read filled every slot it asked for: more jobs are waiting. */
	private boolean backlog;

	private @Nullable StringRedisConnection connection;

	public JobListenerContainer(String queue, QueueKeys keys, ListenerOptions options,
			RedisConnectionFactory connectionFactory, StringRedisTemplate redis, TaskEndpointRegistry endpoints,
			FailedJobWriter failedJobs, JobObserver observer) {
		this.keys = keys;
		this.options = options;
		this.concurrency = options.concurrency(queue);
		this.connectionFactory = connectionFactory;
		this.redis = redis;
		this.observer = observer;
		long trackingTtl = options.trackingTtl().toMillis();
		this.outcomes = new OutcomeWriter(keys, redis, failedJobs, new TrackingWrites(keys, redis, trackingTtl));
		ConcurrencyLeases leases = new ConcurrencyLeases(keys, redis, options.visibilityTimeout().toMillis());
		this.claims = new PendingClaims(keys, options, redis, leases);
		this.cancelled = new CancelledJobs(trackingTtl);
		this.cancelledSince = System.currentTimeMillis() - trackingTtl;
		this.watchdog = new TimeoutWatchdog(queue, this.outcomes::submit);
		this.processor = new JobProcessor(queue, endpoints, options, observer, () -> this.abandoned, this.cancelled,
				leases, this.watchdog, this.outcomes::submit);
		this.slots = new Semaphore(this.concurrency);
		AtomicInteger threads = new AtomicInteger();
		this.workers = new ThreadPoolExecutor(this.concurrency, this.concurrency, 0, TimeUnit.MILLISECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "taskq-" + queue + "-" + threads.incrementAndGet());
					// Daemons, so a handler that ignores interruption cannot hold the JVM
					// after stop.
					thread.setDaemon(true);
					return thread;
				});
		// Not a daemon: like a web server's threads, it keeps a worker-only application
		// alive.
		this.fetcher = new Thread(this::fetchLoop, "taskq-" + queue + "-fetch");
		this.fetchBackoff = new FailureBackoff(logger, "Reading jobs of queue '" + queue + "'");
	}

	public String queue() {
		return this.keys.queue();
	}

	public boolean isPaused() {
		return this.paused;
	}

	/**
	 * Pauses or resumes fetching on this instance (running jobs go on). Called when the
	 * queue's pause flag changes; see {@link io.taskq.client.QueueControl}.
	 */
	public void setPaused(boolean paused) {
		if (this.paused != paused) {
			logger.info((paused ? "Paused" : "Resumed") + " queue '" + queue() + "'");
		}
		this.paused = paused;
		synchronized (this.pauseMonitor) {
			this.pauseMonitor.notifyAll();
		}
	}

	/**
	 * Cancels a job of this queue: it will not start here, and if it runs here now its
	 * handler is interrupted and sees
	 * {@link io.taskq.JobContext#isCancellationRequested()}.
	 */
	public void cancel(String jobId) {
		cancel(jobId, System.currentTimeMillis());
	}

	private void cancel(String jobId, long requestedAt) {
		if (!this.cancelled.add(jobId, requestedAt)) {
			return;
		}
		for (Execution execution : this.inFlight.values()) {
			if (jobId.equals(execution.jobId())) {
				logger.info("Cancelling job " + jobId + " of queue '" + queue() + "' while it runs");
				execution.requestCancel();
			}
		}
	}

	/**
	 * Reads what the queue's channel announces from Redis: the pause flag and recent
	 * cancellations, in case an announcement was missed.
	 */
	void checkControls() {
		long since = this.cancelledSince;
		try {
			long now = System.currentTimeMillis();
			List<?> result = this.redis.execute(CONTROLS, List.of(this.keys.paused(), this.keys.cancelled()),
					Long.toString(since));
			setPaused(((Number) result.get(0)).longValue() == 1);
			for (int i = 1; i + 1 < result.size(); i += 2) {
				cancel((String) result.get(i), Long.parseLong((String) result.get(i + 1)));
			}
			// Overlapping windows: clocks of instances differ a little.
			this.cancelledSince = now - 60_000;
		}
		catch (DataAccessException ex) {
			// Keep the current state; the fetch loop reports Redis failures.
		}
	}

	public void start() {
		this.running = true;
		this.outcomes.start();
		this.fetcher.start();
	}

	/**
	 * Stops fetching, lets running jobs finish within the shutdown timeout and writes
	 * their outcomes. Jobs still running after it stay pending in Redis and are reclaimed
	 * by another instance (or this one after a restart).
	 */
	public void stop() {
		this.running = false;
		this.fetcher.interrupt();
		join(this.fetcher);
		this.workers.shutdown();
		Duration timeout = this.options.shutdownTimeout();
		boolean finished = awaitWorkers(timeout);
		if (!finished) {
			this.abandoned = true;
			logger.warn(this.inFlight.size() + " jobs of queue '" + queue() + "' still running after " + timeout
					+ "; they stay pending and will be reclaimed after the visibility timeout");
			this.workers.shutdownNow();
		}
		this.watchdog.stop();
		this.outcomes.stop(Duration.ofSeconds(5));
		if (finished) {
			this.claims.releaseConsumer();
		}
	}

	private void fetchLoop() {
		while (this.running) {
			checkControlsIfDue();
			if (this.paused) {
				this.claims.refreshIfDue(this.inFlight);
				awaitResume();
				continue;
			}
			int permits = acquireSlots();
			try {
				this.claims.refreshIfDue(this.inFlight);
				if (permits > 0) {
					for (PendingClaims.ClaimedEntry entry : this.claims.reclaimIfDue(permits, this::isHere)) {
						this.observer.reclaimed(queue(), entry.fields().getOrDefault("task", ""));
						dispatch(entry.entryId(), entry.fields(), entry.deliveries());
						permits--;
					}
				}
				if (permits > 0) {
					List<StringRecord> records = read(permits);
					if (this.paused && !records.isEmpty()) {
						requeue(records);
						continue;
					}
					this.backlog = records.size() == permits;
					for (StringRecord record : records) {
						dispatch(record.getId().getValue(), record.getValue(), 1);
						permits--;
					}
				}
				this.fetchBackoff.succeeded();
			}
			catch (DataAccessException ex) {
				if (this.running) {
					closeConnection();
					if (isMissingGroup(ex)) {
						recreateGroup();
					}
					else {
						FailureBackoff.pause(this.fetchBackoff.failed(ex));
					}
				}
			}
			catch (RuntimeException ex) {
				if (this.running) {
					logger.error("Unexpected failure reading jobs of queue '" + queue() + "'", ex);
					FailureBackoff.pause(this.fetchBackoff.failed(ex));
				}
			}
			finally {
				// Permits of dispatched jobs come back when they finish; the rest now.
				this.slots.release(permits);
			}
		}
		closeConnection();
	}

	/** Hands back jobs a read returned after the queue was paused. */
	private void requeue(List<StringRecord> records) {
		List<Object> args = new ArrayList<>(records.size() + 1);
		args.add(QueueKeys.GROUP);
		records.forEach((record) -> args.add(record.getId().getValue()));
		this.redis.execute(REQUEUE, List.of(this.keys.stream()), args.toArray());
	}

	/** Re-reads the queue's controls now and then, in case an announcement was missed. */
	private void checkControlsIfDue() {
		long now = System.currentTimeMillis();
		if (now >= this.nextControlsCheck) {
			this.nextControlsCheck = now + this.options.reclaimInterval().toMillis();
			checkControls();
		}
	}

	private void awaitResume() {
		synchronized (this.pauseMonitor) {
			if (this.paused && this.running) {
				try {
					this.pauseMonitor.wait(this.options.blockTimeout().toMillis());
				}
				catch (InterruptedException ex) {
					// Stopping: the loop condition ends it.
				}
			}
		}
	}

	/** Whether a job is running here or its outcome is still to be written. */
	private boolean isHere(String entryId) {
		return this.inFlight.containsKey(entryId) || this.outcomes.isUnwritten(entryId);
	}

	/**
	 * Waits up to one block timeout for at least one free slot, then takes all free ones.
	 * While a backlog is being drained it waits up to {@link #GATHER_NANOS} for half the
	 * slots to be free, so one read fetches a batch rather than a job or two: the read
	 * round trip, not Redis, would otherwise cap throughput. Idle queues never wait, so
	 * latency is untouched.
	 * @return the slots taken, 0 if none became free (or on interruption)
	 */
	private int acquireSlots() {
		try {
			if (!this.slots.tryAcquire(this.options.blockTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
				return 0;
			}
			int taken = 1 + this.slots.drainPermits();
			if (this.backlog) {
				int wanted = Math.max(1, this.concurrency / 2);
				long deadline = System.nanoTime() + GATHER_NANOS;
				long remaining;
				while (taken < wanted && (remaining = deadline - System.nanoTime()) > 0) {
					if (this.slots.tryAcquire(remaining, TimeUnit.NANOSECONDS)) {
						taken += 1 + this.slots.drainPermits();
					}
				}
			}
			return taken;
		}
		catch (InterruptedException ex) {
			return 0;
		}
	}

	private List<StringRecord> read(int count) {
		StringRedisConnection connection = connection();
		List<StringRecord> records = connection.xReadGroupAsString(
				Consumer.from(QueueKeys.GROUP, this.options.consumerName()),
				StreamReadOptions.empty().count(count).block(this.options.blockTimeout()),
				StreamOffset.create(this.keys.stream(), ReadOffset.lastConsumed()));
		return (records != null) ? records : List.of();
	}

	private void dispatch(String entryId, Map<String, String> fields, long deliveries) {
		Execution execution = new Execution(entryId, System.currentTimeMillis());
		this.inFlight.put(entryId, execution);
		try {
			this.workers.execute(() -> run(execution, fields, deliveries));
		}
		catch (RuntimeException ex) {
			this.inFlight.remove(entryId);
			throw ex;
		}
	}

	private void run(Execution execution, Map<String, String> fields, long deliveries) {
		try {
			Outcome outcome = this.processor.process(execution, fields, deliveries);
			// A job that finished despite the shutdown giving up on it is still
			// acknowledged.
			boolean write = outcome instanceof Outcome.Done
					|| (!this.abandoned && !(outcome instanceof Outcome.Abandoned));
			if (write && execution.settle()) {
				this.outcomes.submit(outcome);
			}
		}
		finally {
			// After the submit: an entry is always in flight or awaiting its write, never
			// neither.
			this.inFlight.remove(execution.entryId());
			this.slots.release();
		}
	}

	private void recreateGroup() {
		try {
			createGroup();
		}
		catch (DataAccessException ex) {
			FailureBackoff.pause(this.fetchBackoff.failed(ex));
		}
	}

	/**
	 * Creates the consumer group (and the stream) if missing. At id 0, so jobs enqueued
	 * before any worker existed are delivered too.
	 */
	void createGroup() {
		try {
			this.redis.execute((RedisCallback<Object>) (connection) -> {
				connection.streamCommands()
					.xGroupCreate(this.keys.stream().getBytes(StandardCharsets.UTF_8), QueueKeys.GROUP,
							ReadOffset.from("0"), true);
				return null;
			});
			logger.info("Created consumer group of queue '" + queue() + "'");
		}
		catch (DataAccessException ex) {
			if (!FailureBackoff.describe(ex).contains("BUSYGROUP")) {
				throw ex;
			}
		}
	}

	private static boolean isMissingGroup(DataAccessException ex) {
		return FailureBackoff.describe(ex).contains("NOGROUP");
	}

	private StringRedisConnection connection() {
		StringRedisConnection connection = this.connection;
		if (connection == null) {
			connection = new DefaultStringRedisConnection(this.connectionFactory.getConnection());
			this.connection = connection;
		}
		return connection;
	}

	private void closeConnection() {
		StringRedisConnection connection = this.connection;
		this.connection = null;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				// Closing a broken connection may fail; it is gone either way.
			}
		}
	}

	/** Waits for the workers, keeping the claims of their jobs fresh meanwhile. */
	private boolean awaitWorkers(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long step = this.options.claimRefreshInterval().toNanos();
		try {
			while (true) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return this.workers.isTerminated();
				}
				if (this.workers.awaitTermination(Math.min(remaining, step), TimeUnit.NANOSECONDS)) {
					return true;
				}
				this.claims.refresh(this.inFlight);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static void join(Thread thread) {
		try {
			thread.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
