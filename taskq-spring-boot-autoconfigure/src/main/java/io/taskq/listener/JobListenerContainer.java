package io.taskq.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskq.retry.FailedJobWriter;
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
 * consumer group, a fixed pool of workers runs the handlers, and an
 * {@link OutcomeWriter} acknowledges them in batches.
 * <p>
 * Round trips per job on the hot path: one XREADGROUP per batch of up to
 * {@code concurrency} jobs (on a dedicated connection, since it blocks) and one ack script
 * (XACK + XDEL) per batch of finished jobs. Nothing is written per job otherwise.
 * <p>
 * The fetcher never asks for more jobs than there are free worker slots, so no job waits
 * in memory where a crash would strand it. Between reads it also reclaims jobs of dead
 * consumers (XAUTOCLAIM) and refreshes the claim of jobs running here for long.
 */
public class JobListenerContainer {

	private static final Log logger = LogFactory.getLog(JobListenerContainer.class);

	private static final RedisScript<List> RECLAIM = TaskqScript.load(JobListenerContainer.class, "reclaim.lua",
			List.class);

	private static final RedisScript<Long> TOUCH = TaskqScript.load(JobListenerContainer.class, "touch.lua",
			Long.class);

	private final QueueKeys keys;

	private final ListenerOptions options;

	private final int concurrency;

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final JobProcessor processor;

	private final OutcomeWriter outcomes;

	private final Semaphore slots;

	private final Map<String, InFlightJob> inFlight = new ConcurrentHashMap<>();

	private final ThreadPoolExecutor workers;

	private final Thread fetcher;

	private final FailureBackoff fetchBackoff;

	private volatile boolean running;

	private volatile boolean abandoned;

	private long nextReclaim;

	private long nextClaimRefresh;

	private @Nullable StringRedisConnection connection;

	public JobListenerContainer(String queue, QueueKeys keys, ListenerOptions options,
			RedisConnectionFactory connectionFactory, StringRedisTemplate redis, TaskEndpointRegistry endpoints,
			FailedJobWriter failedJobs) {
		this.keys = keys;
		this.options = options;
		this.concurrency = options.concurrency(queue);
		this.connectionFactory = connectionFactory;
		this.redis = redis;
		this.processor = new JobProcessor(queue, endpoints, options.retry(), () -> this.abandoned);
		this.outcomes = new OutcomeWriter(keys, redis, failedJobs);
		this.slots = new Semaphore(this.concurrency);
		AtomicInteger threads = new AtomicInteger();
		this.workers = new ThreadPoolExecutor(this.concurrency, this.concurrency, 0, TimeUnit.MILLISECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "taskq-" + queue + "-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		// Not a daemon: like a web server's threads, it keeps a worker-only application alive.
		this.fetcher = new Thread(this::fetchLoop, "taskq-" + queue + "-fetch");
		this.fetchBackoff = new FailureBackoff(logger, "Reading jobs of queue '" + queue + "'");
	}

	public String queue() {
		return this.keys.queue();
	}

	public int concurrency() {
		return this.concurrency;
	}

	/** Jobs running here now. */
	public int inFlight() {
		return this.inFlight.size();
	}

	public boolean isRunning() {
		return this.running;
	}

	public void start() {
		this.running = true;
		this.nextReclaim = System.currentTimeMillis();
		this.nextClaimRefresh = System.currentTimeMillis() + this.options.claimRefreshInterval().toMillis();
		this.outcomes.start();
		this.fetcher.start();
	}

	/**
	 * Stops fetching, lets running jobs finish within the shutdown timeout and writes their
	 * outcomes. Jobs still running after it stay pending in Redis and are reclaimed by
	 * another instance (or this one after a restart).
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
		this.outcomes.stop(Duration.ofSeconds(5));
	}

	private void fetchLoop() {
		while (this.running) {
			int permits = acquireSlots();
			if (permits == 0) {
				refreshClaimsIfDue();
				continue;
			}
			try {
				permits -= reclaimIfDue(permits);
				refreshClaimsIfDue();
				if (permits > 0) {
					List<StringRecord> records = read(permits);
					permits -= records.size();
					for (StringRecord record : records) {
						dispatch(record.getId().getValue(), record.getValue(), 1);
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
				this.slots.release(permits);
			}
		}
		closeConnection();
	}

	/** Waits up to one poll timeout for at least one free slot, then takes all free ones. */
	private int acquireSlots() {
		try {
			if (!this.slots.tryAcquire(this.options.blockTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
				return 0;
			}
			return 1 + this.slots.drainPermits();
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
		this.inFlight.put(entryId, new InFlightJob(System.currentTimeMillis()));
		this.workers.execute(() -> {
			try {
				Outcome outcome = this.processor.process(entryId, fields, deliveries);
				if (!this.abandoned && !(outcome instanceof Outcome.Abandoned)) {
					this.outcomes.submit(outcome);
				}
			}
			finally {
				this.inFlight.remove(entryId);
				this.slots.release();
			}
		});
	}

	/**
	 * Claims jobs whose consumer has not touched them for the visibility timeout.
	 * @return how many were claimed (and dispatched)
	 */
	private int reclaimIfDue(int permits) {
		long now = System.currentTimeMillis();
		if (now < this.nextReclaim) {
			return 0;
		}
		this.nextReclaim = now + this.options.reclaimInterval().toMillis();
		List<?> claimed = this.redis.execute(RECLAIM, List.of(this.keys.stream()), QueueKeys.GROUP,
				this.options.consumerName(), Long.toString(this.options.visibilityTimeout().toMillis()),
				Integer.toString(permits));
		if (claimed == null || claimed.isEmpty()) {
			return 0;
		}
		if (claimed.size() >= permits) {
			// A full batch: more may be waiting, so look again on the next turn.
			this.nextReclaim = now;
		}
		for (Object item : claimed) {
			List<?> entry = (List<?>) item;
			String entryId = (String) entry.get(0);
			Map<String, String> fields = toMap((List<?>) entry.get(1));
			long deliveries = ((Number) entry.get(2)).longValue();
			logger.info("Reclaimed job " + fields.get("id") + " (" + fields.get("task") + " on queue '" + queue()
					+ "') from a consumer that left it pending; delivery " + deliveries);
			dispatch(entryId, fields, deliveries);
		}
		return claimed.size();
	}

	private void refreshClaimsIfDue() {
		long now = System.currentTimeMillis();
		if (now < this.nextClaimRefresh) {
			return;
		}
		long interval = this.options.claimRefreshInterval().toMillis();
		this.nextClaimRefresh = now + interval;
		List<Object> args = new ArrayList<>();
		args.add(QueueKeys.GROUP);
		args.add(this.options.consumerName());
		this.inFlight.forEach((entryId, job) -> {
			if (now - job.startedAt() >= interval) {
				args.add(entryId);
			}
		});
		if (args.size() > 2) {
			try {
				this.redis.execute(TOUCH, List.of(this.keys.stream()), args.toArray());
			}
			catch (DataAccessException ex) {
				// Retried at the next interval; two misses in a row are needed to lose a claim.
				logger.warn("Could not refresh the claim of " + (args.size() - 2) + " long-running jobs of queue '"
						+ queue() + "': " + FailureBackoff.describe(ex));
			}
		}
	}

	private static Map<String, String> toMap(List<?> flat) {
		Map<String, String> map = new LinkedHashMap<>(flat.size());
		for (int i = 0; i + 1 < flat.size(); i += 2) {
			map.put((String) flat.get(i), (String) flat.get(i + 1));
		}
		return map;
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
			if (!String.valueOf(FailureBackoff.describe(ex)).contains("BUSYGROUP")) {
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

	private boolean awaitWorkers(Duration timeout) {
		try {
			return this.workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

	private record InFlightJob(long startedAt) {
	}

}
