package io.taskq.client;

import java.time.Duration;

import io.taskq.support.JobObserver;
import io.taskq.support.PayloadCodec;
import io.taskq.support.redis.KeySpace;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Builds the Redis implementations of {@link JobClient} and {@link QueueControl} for the
 * auto-configuration. The implementations themselves are not public: an application
 * programs against the interfaces.
 */
public final class RedisClients {

	private RedisClients() {
	}

	/**
	 * A {@link JobClient} on Redis. It is {@link AutoCloseable}, which an application
	 * context calls on close as for any bean.
	 * @param router the queue and tracking of tasks whose handler is in this application
	 */
	public static JobClient jobClient(RedisConnectionFactory connectionFactory, StringRedisTemplate redis,
			KeySpace keys, PayloadCodec codec, TaskRouter router, JobClientSettings settings, JobObserver observer) {
		CapacityGuard capacity = new CapacityGuard(redis, settings.maxMemoryUsage(),
				settings.capacityRefreshInterval());
		RedisJobClient.Settings clientSettings = new RedisJobClient.Settings(settings.defaultQueue(),
				settings.trackingTtl(), settings.uniqueLockTimeout(), settings.pollInterval());
		return new RedisJobClient(connectionFactory, redis, keys, codec, router, clientSettings, observer, capacity);
	}

	/** A {@link QueueControl} on Redis. */
	public static QueueControl queueControl(StringRedisTemplate redis, KeySpace keys) {
		return new RedisQueueControl(redis, keys);
	}

	/**
	 * How a {@link JobClient} enqueues and tracks jobs.
	 *
	 * @param defaultQueue the queue of tasks without a handler in this application
	 * @param trackingTtl how long state records and cancellation requests live
	 * @param uniqueLockTimeout how long a uniqueness lock lives at most after its job is
	 * due
	 * @param pollInterval how often completion waits re-read the awaited records
	 * @param maxMemoryUsage the share of Redis {@code maxmemory} at or above which
	 * enqueues fail fast with a {@link RedisCapacityException}
	 * @param capacityRefreshInterval how often Redis memory figures are read
	 */
	public record JobClientSettings(String defaultQueue, Duration trackingTtl, Duration uniqueLockTimeout,
			Duration pollInterval, double maxMemoryUsage, Duration capacityRefreshInterval) {

	}

}
