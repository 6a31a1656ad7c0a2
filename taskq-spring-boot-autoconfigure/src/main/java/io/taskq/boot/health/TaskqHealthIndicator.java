package io.taskq.boot.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

import io.taskq.support.QueueStats;
import io.taskq.support.QueueStatsReader;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Health of taskq: DOWN when Redis cannot be reached; {@code degradedStatus} (by default
 * {@code DEGRADED}, which ranks below UP unless mapped) when a queue's oldest ready job
 * has waited longer than {@code maxWait} or Redis uses more than {@code maxMemoryUsage}
 * of its maxmemory. Details list every queue's figures.
 */
public class TaskqHealthIndicator extends AbstractHealthIndicator {

	private final QueueStatsReader reader;

	private final StringRedisTemplate redis;

	private final Supplier<Set<String>> queues;

	private final Duration maxWait;

	private final double maxMemoryUsage;

	private final Status degradedStatus;

	public TaskqHealthIndicator(QueueStatsReader reader, StringRedisTemplate redis, Supplier<Set<String>> queues,
			Duration maxWait, double maxMemoryUsage, String degradedStatus) {
		super("taskq health check failed");
		this.reader = reader;
		this.redis = redis;
		this.queues = queues;
		this.maxWait = maxWait;
		this.maxMemoryUsage = maxMemoryUsage;
		this.degradedStatus = new Status(degradedStatus);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean degraded = false;
		Map<String, Object> queues = new LinkedHashMap<>();
		for (String queue : this.queues.get()) {
			QueueStats stats = this.reader.read(queue);
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("ready", stats.ready());
			details.put("inFlight", stats.inFlight());
			details.put("lag", stats.lag());
			details.put("delayed", stats.delayed());
			details.put("dead", stats.dead());
			details.put("oldestReadyAge", Duration.ofMillis(stats.oldestReadyAgeMillis()).toString());
			if (stats.oldestReadyAgeMillis() > this.maxWait.toMillis()) {
				details.put("problem", "oldest ready job has waited longer than " + this.maxWait);
				degraded = true;
			}
			queues.put(queue, details);
		}
		builder.withDetail("queues", queues);
		Properties memory = this.redis.execute((RedisCallback<Properties>) (c) -> c.serverCommands().info("memory"));
		long used = Long.parseLong(memory.getProperty("used_memory", "0"));
		long max = Long.parseLong(memory.getProperty("maxmemory", "0"));
		builder.withDetail("usedMemory", used).withDetail("maxMemory", max);
		if (max > 0 && used > max * this.maxMemoryUsage) {
			builder.withDetail("memoryProblem",
					"Redis uses " + used + " of " + max + " bytes, over " + (int) (this.maxMemoryUsage * 100) + "%");
			degraded = true;
		}
		builder.status(degraded ? this.degradedStatus : Status.UP);
	}

}
