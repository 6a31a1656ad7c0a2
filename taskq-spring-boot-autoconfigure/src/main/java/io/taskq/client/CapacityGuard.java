package io.taskq.client;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import io.taskq.JobId;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Refuses enqueues while Redis is at or near its {@code maxmemory}, with a clear
 * {@link RedisCapacityException} instead of Redis's OOM error from deep inside a call.
 * Memory figures come from INFO, read at most once per {@code refreshInterval} by
 * whichever enqueue finds them stale, and at once after Redis refused a write for lack of
 * memory.
 */
class CapacityGuard {

	/**
	 * A guard that never refuses: for tests and for users who want Redis's own errors.
	 */
	public static final CapacityGuard NONE = new CapacityGuard(null, 1.0, Duration.ZERO);

	private final @Nullable StringRedisTemplate redis;

	private final double maxMemoryUsage;

	private final long refreshNanos;

	private final AtomicLong nextRefresh = new AtomicLong(Long.MIN_VALUE);

	private final Executor refresher;

	private volatile long usedMemory;

	private volatile long maxMemory;

	public CapacityGuard(@Nullable StringRedisTemplate redis, double maxMemoryUsage, Duration refreshInterval) {
		this.redis = redis;
		this.maxMemoryUsage = maxMemoryUsage;
		this.refreshNanos = refreshInterval.toNanos();
		this.refresher = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "taskq-capacity-guard");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * @throws RedisCapacityException if Redis memory use is at or above the allowed share
	 */
	void check(String queue, List<JobId> jobIds) {
		if (this.redis == null) {
			return;
		}
		long now = System.nanoTime();
		long next = this.nextRefresh.get();
		if (now - next >= 0 && this.nextRefresh.compareAndSet(next, now + this.refreshNanos)) {
			this.refresher.execute(this::refresh);
		}
		long max = this.maxMemory;
		if (max > 0 && this.usedMemory >= max * this.maxMemoryUsage) {
			throw new RedisCapacityException(queue, jobIds, this.usedMemory, max,
					"refused before sending, above " + (int) Math.round(this.maxMemoryUsage * 100) + "% of maxmemory",
					null);
		}
	}

	/**
	 * Turns Redis's OOM refusal into a {@link RedisCapacityException}; other failures are
	 * returned unchanged.
	 */
	RuntimeException translate(String queue, List<JobId> jobIds, DataAccessException ex, RuntimeException otherwise) {
		// Redis 7 answers "OOM command not allowed ..."; 6.2 wraps it inside a script
		// error.
		if (this.redis == null || !RedisJobClient.rootMessage(ex).contains("OOM command not allowed")) {
			return otherwise;
		}
		refresh();
		this.nextRefresh.set(System.nanoTime() + this.refreshNanos);
		return new RedisCapacityException(queue, jobIds, this.usedMemory, this.maxMemory, "Redis refused the write",
				ex);
	}

	private void refresh() {
		try {
			Properties memory = this.redis
				.execute((RedisCallback<Properties>) (c) -> c.serverCommands().info("memory"));
			if (memory != null) {
				this.usedMemory = Long.parseLong(memory.getProperty("used_memory", "0"));
				this.maxMemory = Long.parseLong(memory.getProperty("maxmemory", "0"));
			}
		}
		catch (DataAccessException | NumberFormatException ex) {
			// Unknown figures: let the enqueue go ahead and report whatever Redis says.
		}
	}

}
