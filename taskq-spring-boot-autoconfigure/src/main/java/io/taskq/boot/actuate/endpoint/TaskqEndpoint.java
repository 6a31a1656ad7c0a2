package io.taskq.boot.actuate.endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.taskq.JobId;
import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import io.taskq.client.QueueControl;
import io.taskq.support.QueueStats;
import io.taskq.support.QueueStatsReader;
import io.taskq.support.TaskTimings.TaskTiming;
import io.taskq.support.TaskTimings;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.StreamScripts;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The {@code taskq} endpoint. Read: every queue's figures and consumers, the slow-task
 * summary and recent dead jobs. Write (exposed only if the application exposes them, like
 * every Actuator operation): retry a dead job or all dead jobs of a queue, delete a dead
 * job.
 */
@Endpoint(id = "taskq")
public class TaskqEndpoint {

	private static final int RECENT_DEAD = 10;

	private final QueueStatsReader stats;

	private final DeadJobs deadJobs;

	private final TaskTimings timings;

	private final StringRedisTemplate redis;

	private final KeySpace keys;

	private final Supplier<Set<String>> queues;

	private final QueueControl queueControl;

	private final boolean showPayloads;

	/**
	 * @param showPayloads whether dead jobs are listed with their payloads
	 * ({@code taskq.show-payloads})
	 */
	public TaskqEndpoint(QueueStatsReader stats, DeadJobs deadJobs, QueueControl queueControl, TaskTimings timings,
			StringRedisTemplate redis, KeySpace keys, Supplier<Set<String>> queues, boolean showPayloads) {
		this.showPayloads = showPayloads;
		this.queueControl = queueControl;
		this.stats = stats;
		this.deadJobs = deadJobs;
		this.timings = timings;
		this.redis = redis;
		this.keys = keys;
		this.queues = queues;
	}

	@ReadOperation
	public TaskqDescriptor taskq() {
		Map<String, QueueDescriptor> queues = new LinkedHashMap<>();
		for (String queue : this.queues.get()) {
			queues.put(queue, queue(queue));
		}
		return new TaskqDescriptor(queues, this.timings.slowestFirst());
	}

	@ReadOperation
	public QueueDescriptor queue(@Selector String queue) {
		QueueStats figures = this.stats.read(queue);
		return new QueueDescriptor(figures, this.queueControl.isPaused(queue), consumers(queue),
				this.deadJobs.list(queue, 0, RECENT_DEAD).stream().map(this::withPayloadIfShown).toList());
	}

	/**
	 * Sends a dead job back to its queue; {@code jobId=all} sends every dead job of the
	 * queue.
	 */
	@WriteOperation
	public Map<String, Object> retryDead(@Selector String queue, String jobId) {
		long retried = "all".equals(jobId) ? this.deadJobs.retryAll(queue)
				: (this.deadJobs.retry(queue, JobId.of(jobId)) ? 1 : 0);
		return Map.of("queue", queue, "jobId", jobId, "retried", retried);
	}

	/**
	 * Pauses ({@code action=pause}) or resumes ({@code action=resume}) a queue on every
	 * instance.
	 */
	@WriteOperation
	public Map<String, Object> control(@Selector String queue, @Selector String action) {
		switch (action) {
			case "pause" -> this.queueControl.pause(queue);
			case "resume" -> this.queueControl.resume(queue);
			default -> throw new IllegalArgumentException("Unknown action '" + action + "': use pause or resume");
		}
		return Map.of("queue", queue, "paused", this.queueControl.isPaused(queue));
	}

	@DeleteOperation
	public Map<String, Object> deleteDead(@Selector String queue, String jobId) {
		return Map.of("queue", queue, "jobId", jobId, "deleted", this.deadJobs.delete(queue, JobId.of(jobId)));
	}

	private DeadJob withPayloadIfShown(DeadJob job) {
		if (this.showPayloads || job.payload() == null) {
			return job;
		}
		return new DeadJob(job.id(), job.queue(), job.task(), null, job.reason(), job.errorType(), job.stackTrace(),
				job.attempts(), job.enqueuedAt(), job.failedAt(), job.headers());
	}

	private List<ConsumerDescriptor> consumers(String queue) {
		String stream = this.keys.queue(queue).stream();
		try {
			StreamInfo.XInfoConsumers consumers = new StreamScripts(this.redis).consumers(stream);
			return consumers.stream()
				.map((consumer) -> new ConsumerDescriptor(consumer.consumerName(), consumer.pendingCount(),
						consumer.idleTimeMs()))
				.toList();
		}
		catch (RuntimeException ex) {
			// No stream or group yet: no consumers.
			return List.of();
		}
	}

	/**
	 * Everything the endpoint reports.
	 *
	 * @param queues every queue with handlers here
	 * @param slowestTasks run times per task, slowest first
	 */
	public record TaskqDescriptor(Map<String, QueueDescriptor> queues, List<TaskTiming> slowestTasks) {
	}

	/**
	 * One queue.
	 *
	 * @param figures ready, in flight, lag, delayed, dead, oldest age
	 * @param paused whether the queue is paused
	 * @param consumers the consumers of its group, live or dead, with their last activity
	 * @param recentDead the most recent dead jobs
	 */
	public record QueueDescriptor(QueueStats figures, boolean paused, List<ConsumerDescriptor> consumers,
			List<DeadJob> recentDead) {
	}

	/**
	 * One consumer of a queue's group.
	 *
	 * @param name the consumer name (host, pid, random suffix by default)
	 * @param pending jobs delivered to it and not acknowledged
	 * @param idleMillis time since it last read or claimed
	 */
	public record ConsumerDescriptor(String name, long pending, long idleMillis) {
	}

}
