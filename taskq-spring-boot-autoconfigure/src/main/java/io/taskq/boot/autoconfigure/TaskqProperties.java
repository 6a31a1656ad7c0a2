package io.taskq.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of taskq, under {@code taskq.*}. The Redis connection itself comes from
 * {@code spring.data.redis.*}.
 */
@ConfigurationProperties("taskq")
public class TaskqProperties {

	/**
	 * Prefix of every Redis key taskq writes. Change it to run several independent taskq
	 * installations on one Redis.
	 */
	private String keyPrefix = "taskq";

	/**
	 * Queue of handlers that name none, and of jobs enqueued for a task with no handler
	 * in this application.
	 */
	private String defaultQueue = "default";

	/**
	 * Jobs run at once per queue on this instance, unless the queue sets its own.
	 */
	private int concurrency = 10;

	/**
	 * Longest one blocking read of a queue waits for new jobs. Longer means fewer idle
	 * Redis commands; it must stay below the Redis command timeout
	 * (spring.data.redis.timeout), and is shortened to fit if it does not.
	 */
	private Duration pollTimeout = Duration.ofSeconds(10);

	/**
	 * How long a job may stay claimed by a consumer that no longer refreshes the claim
	 * (it crashed, was killed, or lost Redis) before another instance takes it over. Live
	 * workers refresh claims of long jobs every third of this.
	 */
	private Duration visibilityTimeout = Duration.ofSeconds(60);

	/**
	 * How long stopping the application waits for running jobs. Jobs still running then
	 * stay pending in Redis and are reclaimed after the visibility timeout. The whole
	 * stop takes at most this plus 5 s (writing the outcomes of jobs that finished,
	 * leaving the consumer groups), whatever Redis does: outcomes Redis has not taken by
	 * then are logged and given up on, and those jobs too are reclaimed.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(20);

	/**
	 * How long a job may run before one WARN line reports it as slow (task, queue, job
	 * id, duration; never the payload). Handlers may set their own (@TaskHandler
	 * slowThreshold).
	 */
	private Duration slowTaskThreshold = Duration.ofSeconds(10);

	/**
	 * How long a job whose concurrency key has no free slot waits in the delayed set
	 * before it tries again; each wait is jittered between half and all of this.
	 */
	private Duration concurrencyWait = Duration.ofSeconds(1);

	/**
	 * How long a job whose task has no handler on the instance that fetched it waits for
	 * an instance that has one, counted from when it was first found so, before it goes
	 * to the dead letters. It waits in the delayed set without spending attempts, so
	 * producers of a new task may start before every worker has its handler, as in a
	 * rolling deploy. Zero dead-letters such jobs at once.
	 */
	private Duration unhandledTaskGrace = Duration.ofHours(1);

	/**
	 * How long a unique job's lock lives at most after the job is due, in case it is
	 * never released (jobs release it when they finish, die or are cancelled). A job
	 * still queued, retrying or running after this no longer blocks a duplicate.
	 */
	private Duration uniqueLockTimeout = Duration.ofDays(1);

	/**
	 * Name of this instance in every queue's consumer group. Must be unique among running
	 * instances; by default host name, process id and a random suffix.
	 */
	private @Nullable String consumerName;

	/**
	 * Per-queue settings, by queue name.
	 */
	private final Map<String, Queue> queues = new LinkedHashMap<>();

	/**
	 * Worker pools that serve several queues with shared slots, by pool name.
	 */
	private final Map<String, Pool> pools = new LinkedHashMap<>();

	private final Listener listener = new Listener();

	private final Retry retry = new Retry();

	private final Delayed delayed = new Delayed();

	private final Metrics metrics = new Metrics();

	private final Health health = new Health();

	private final Capacity capacity = new Capacity();

	private final Tracking tracking = new Tracking();

	private final Recurring recurring = new Recurring();

	private final Redis redis = new Redis();

	private final DeadLetters deadLetters = new DeadLetters();

	private final Stats stats = new Stats();

	/**
	 * Whether job payloads are shown by the Actuator endpoint and the dashboard. Payloads
	 * are application data (addresses, amounts, tokens), so they are hidden unless this
	 * is set.
	 */
	private boolean showPayloads;

	public DeadLetters getDeadLetters() {
		return this.deadLetters;
	}

	public Stats getStats() {
		return this.stats;
	}

	public boolean isShowPayloads() {
		return this.showPayloads;
	}

	public void setShowPayloads(boolean showPayloads) {
		this.showPayloads = showPayloads;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public String getDefaultQueue() {
		return this.defaultQueue;
	}

	public void setDefaultQueue(String defaultQueue) {
		this.defaultQueue = defaultQueue;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = concurrency;
	}

	public Duration getPollTimeout() {
		return this.pollTimeout;
	}

	public void setPollTimeout(Duration pollTimeout) {
		this.pollTimeout = pollTimeout;
	}

	public Duration getVisibilityTimeout() {
		return this.visibilityTimeout;
	}

	public void setVisibilityTimeout(Duration visibilityTimeout) {
		this.visibilityTimeout = visibilityTimeout;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Duration getSlowTaskThreshold() {
		return this.slowTaskThreshold;
	}

	public void setSlowTaskThreshold(Duration slowTaskThreshold) {
		this.slowTaskThreshold = slowTaskThreshold;
	}

	public Duration getConcurrencyWait() {
		return this.concurrencyWait;
	}

	public void setConcurrencyWait(Duration concurrencyWait) {
		this.concurrencyWait = concurrencyWait;
	}

	public Duration getUnhandledTaskGrace() {
		return this.unhandledTaskGrace;
	}

	public void setUnhandledTaskGrace(Duration unhandledTaskGrace) {
		this.unhandledTaskGrace = unhandledTaskGrace;
	}

	public Duration getUniqueLockTimeout() {
		return this.uniqueLockTimeout;
	}

	public void setUniqueLockTimeout(Duration uniqueLockTimeout) {
		this.uniqueLockTimeout = uniqueLockTimeout;
	}

	public Tracking getTracking() {
		return this.tracking;
	}

	public @Nullable String getConsumerName() {
		return this.consumerName;
	}

	public void setConsumerName(@Nullable String consumerName) {
		this.consumerName = consumerName;
	}

	public Map<String, Queue> getQueues() {
		return this.queues;
	}

	public Map<String, Pool> getPools() {
		return this.pools;
	}

	public Listener getListener() {
		return this.listener;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Delayed getDelayed() {
		return this.delayed;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Health getHealth() {
		return this.health;
	}

	public Capacity getCapacity() {
		return this.capacity;
	}

	public Recurring getRecurring() {
		return this.recurring;
	}

	public Redis getRedis() {
		return this.redis;
	}

	/**
	 * The application's Lettuce connections, as taskq may tune them.
	 */
	public static class Redis {

		/**
		 * Whether Lettuce connections write the commands that many threads send at once
		 * in one socket write (Netty's FlushConsolidationHandler). Raises throughput when
		 * many workers share a connection; applies to every Lettuce connection of the
		 * application whose client resources Spring Boot creates.
		 */
		private boolean consolidateFlushes;

		public boolean isConsolidateFlushes() {
			return this.consolidateFlushes;
		}

		public void setConsolidateFlushes(boolean consolidateFlushes) {
			this.consolidateFlushes = consolidateFlushes;
		}

	}

	/**
	 * The capacity guard of enqueues.
	 */
	public static class Capacity {

		/**
		 * Share of Redis maxmemory at or above which enqueues fail fast with
		 * RedisCapacityException instead of being sent. 1.0 leaves it to Redis's own
		 * refusal, still reported as RedisCapacityException.
		 */
		private double maxMemoryUsage = 0.95;

		/**
		 * How often an enqueueing application reads Redis memory figures (one INFO call
		 * at most per interval, only while enqueueing).
		 */
		private Duration refreshInterval = Duration.ofSeconds(1);

		public double getMaxMemoryUsage() {
			return this.maxMemoryUsage;
		}

		public void setMaxMemoryUsage(double maxMemoryUsage) {
			this.maxMemoryUsage = maxMemoryUsage;
		}

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

	}

	/**
	 * The taskq health indicator.
	 */
	public static class Health {

		/**
		 * Longest the oldest ready job of a queue may wait before health reports the
		 * degraded status.
		 */
		private Duration maxWait = Duration.ofMinutes(5);

		/**
		 * Share of Redis maxmemory above which health reports the degraded status.
		 */
		private double maxMemoryUsage = 0.9;

		/**
		 * Status reported when a queue falls behind or Redis memory runs short. Map it
		 * with management.endpoint.health.status.order and .http-mapping; by default it
		 * ranks below UP and answers 200.
		 */
		private String degradedStatus = "DEGRADED";

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

		public double getMaxMemoryUsage() {
			return this.maxMemoryUsage;
		}

		public void setMaxMemoryUsage(double maxMemoryUsage) {
			this.maxMemoryUsage = maxMemoryUsage;
		}

		public String getDegradedStatus() {
			return this.degradedStatus;
		}

		public void setDegradedStatus(String degradedStatus) {
			this.degradedStatus = degradedStatus;
		}

	}

	/**
	 * Micrometer meters (when a MeterRegistry is present).
	 */
	public static class Metrics {

		/**
		 * How often the per-queue gauges (ready, in flight, delayed, dead, oldest age)
		 * are refreshed from Redis, with one call per queue. Scrapes read the cached
		 * values.
		 */
		private Duration refreshInterval = Duration.ofSeconds(15);

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

	}

	/**
	 * Settings of one queue.
	 */
	public static class Queue {

		/**
		 * Jobs of this queue run at once on this instance; unset for taskq.concurrency.
		 */
		private @Nullable Integer concurrency;

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

	}

	/**
	 * A pool of worker slots shared by several queues, by strict priority or by weight.
	 */
	public static class Pool {

		/**
		 * Queues the pool serves, highest priority first. Each free slot goes to the
		 * first queue that has a job, unless weights are set.
		 */
		private List<String> queues = new ArrayList<>();

		/**
		 * One weight per queue, in the order of queues: each read offers the free slots
		 * to a queue drawn with a chance proportional to its weight first, so no queue
		 * starves. Empty for strict priority.
		 */
		private List<Integer> weights = new ArrayList<>();

		/**
		 * Jobs of the pool's queues run at once on this instance; unset for
		 * taskq.concurrency.
		 */
		private @Nullable Integer concurrency;

		public List<String> getQueues() {
			return this.queues;
		}

		public void setQueues(List<String> queues) {
			this.queues = queues;
		}

		public List<Integer> getWeights() {
			return this.weights;
		}

		public void setWeights(List<Integer> weights) {
			this.weights = weights;
		}

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

	}

	/**
	 * Job states and results kept for status lookups and waits (issue 5).
	 */
	public static class Tracking {

		/**
		 * How long a tracked job's state and result stay readable after their last
		 * change; cancellation requests are kept as long.
		 */
		private Duration ttl = Duration.ofDays(1);

		/**
		 * How often a wait for a job's completion re-reads its state, in case the
		 * completion announcement was missed (a reconnect); announcements complete waits
		 * at once.
		 */
		private Duration pollInterval = Duration.ofSeconds(1);

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

	}

	/**
	 * Listener switch.
	 */
	public static class Listener {

		/**
		 * Whether this instance runs jobs. Off for an application that only enqueues.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Retries of failed jobs: exponential backoff with jitter.
	 */
	public static class Retry {

		/**
		 * Retries after the first failed attempt before a job goes to the dead letters.
		 * Handlers (@TaskHandler maxRetries) and jobs may override it.
		 */
		private int maxRetries = 5;

		/**
		 * Wait before the first retry.
		 */
		private Duration delay = Duration.ofSeconds(1);

		/**
		 * Growth of the wait per retry.
		 */
		private double multiplier = 4.0;

		/**
		 * Longest wait between retries.
		 */
		private Duration maxDelay = Duration.ofHours(1);

		/**
		 * Most a wait is moved either way at random, so jobs that failed together do not
		 * return together.
		 */
		private Duration jitter = Duration.ofMillis(500);

		/**
		 * Exception types, by class name, that are never retried: a job whose handler
		 * throws one (a subclass, or an exception caused by one) goes to the dead
		 * letters, or to the application's JobRecoverer, on its first failure. Added to
		 * NonRetryableJobException and the payload and malformed-job errors, which are
		 * never retried anyway. Ignored when the application defines its own
		 * ErrorClassifier bean.
		 */
		private List<Class<? extends Throwable>> notRetryableExceptions = new ArrayList<>();

		public int getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(Duration jitter) {
			this.jitter = jitter;
		}

		public List<Class<? extends Throwable>> getNotRetryableExceptions() {
			return this.notRetryableExceptions;
		}

		public void setNotRetryableExceptions(List<Class<? extends Throwable>> notRetryableExceptions) {
			for (Class<?> type : notRetryableExceptions) {
				// The binder does not check the type parameter: java.lang.String binds.
				if (!Throwable.class.isAssignableFrom(type)) {
					throw new IllegalArgumentException(type.getName()
							+ " is not an exception type; list subclasses of java.lang.Throwable, such as"
							+ " java.lang.IllegalArgumentException");
				}
			}
			this.notRetryableExceptions = notRetryableExceptions;
		}

	}

	/**
	 * Promotion of delayed jobs into their queue when due.
	 */
	public static class Delayed {

		/**
		 * Most jobs moved into the stream by one atomic script call. Each round of
		 * promotion starts with a batch of 50, so the first due jobs start at once, and
		 * grows the batches fourfold up to this.
		 */
		private int batchSize = 1000;

		/**
		 * Longest a promoter sleeps without being woken. It normally sleeps until the
		 * next due time and is woken early by a sooner job; this bounds the wait if such
		 * a wake-up is lost while the connection is down.
		 */
		private Duration maxInterval = Duration.ofSeconds(30);

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

	}

	/**
	 * Recurring jobs (@TaskHandler cron or every).
	 */
	public static class Recurring {

		/**
		 * Whether this instance fires the occurrences of recurring jobs. Any instance
		 * that does is enough; each occurrence is enqueued once however many do.
		 */
		private boolean enabled = true;

		/**
		 * How late an occurrence may be fired and still count as on time. An occurrence
		 * no instance fired within it (all were down, or cut off from Redis) is a misfire
		 * and follows the handler's misfire policy.
		 */
		private Duration misfireThreshold = Duration.ofMinutes(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getMisfireThreshold() {
			return this.misfireThreshold;
		}

		public void setMisfireThreshold(Duration misfireThreshold) {
			this.misfireThreshold = misfireThreshold;
		}

	}

	/**
	 * Bounds of each queue's dead letters; the oldest dead jobs beyond them are removed
	 * as new ones arrive (counted by the {@code taskq.dead.trimmed} meter).
	 */
	public static class DeadLetters {

		/**
		 * The most dead jobs a queue keeps.
		 */
		private int maxCount = 10_000;

		/**
		 * The longest a dead job is kept.
		 */
		private Duration maxAge = Duration.ofDays(180);

		public int getMaxCount() {
			return this.maxCount;
		}

		public void setMaxCount(int maxCount) {
			this.maxCount = maxCount;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/**
	 * Fleet-wide figures and the instance heartbeat that the dashboard reads: each
	 * instance counts runs locally and writes them, with its heartbeat, in one script
	 * call per report interval.
	 */
	public static class Stats {

		/**
		 * Whether this instance reports its figures and heartbeat.
		 */
		private boolean enabled = true;

		/**
		 * How often figures gathered since the last report are written. An idle instance
		 * writes only its heartbeat, every sixth interval.
		 */
		private Duration reportInterval = Duration.ofSeconds(5);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getReportInterval() {
			return this.reportInterval;
		}

		public void setReportInterval(Duration reportInterval) {
			this.reportInterval = reportInterval;
		}

	}

}
