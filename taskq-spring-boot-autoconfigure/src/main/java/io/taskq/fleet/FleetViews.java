package io.taskq.fleet;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the dashboard shows of the fleet's figures.
 */
public final class FleetViews {

	private FleetViews() {
	}

	/**
	 * The fleet's figures over a range.
	 *
	 * @param series runs per second
	 * @param latency enqueue-to-start times
	 * @param tasks every task that ran, slowest (95th percentile) first
	 * @param stepSeconds seconds per point
	 */
	public record Window(Series series, Latency latency, List<TaskSummary> tasks, long stepSeconds) {

	}

	/**
	 * Runs per second over a range, the whole fleet, oldest first.
	 *
	 * @param range the range
	 * @param stepSeconds seconds per point
	 * @param start the start of the first point
	 * @param processedPerSecond runs finished per second
	 * @param failedPerSecond runs failed per second
	 */
	public record Series(String range, long stepSeconds, Instant start, List<Double> processedPerSecond,
			List<Double> failedPerSecond) {

	}

	/**
	 * One task's runs over a range, across every instance.
	 *
	 * @param queue the queue
	 * @param task the task
	 * @param count runs
	 * @param failed runs that failed
	 * @param failureRate failed over runs
	 * @param meanMillis mean run time
	 * @param p95Millis 95th percentile (estimated from histogram buckets)
	 * @param maxMillis longest run
	 * @param trend mean run time per point, {@code null} where none ran
	 */
	public record TaskSummary(String queue, String task, long count, long failed, double failureRate, double meanMillis,
			double p95Millis, double maxMillis, List<@Nullable Double> trend) {

	}

	/**
	 * Enqueue-to-start times over a range, across every queue and instance.
	 *
	 * @param count jobs started
	 * @param meanMillis mean
	 * @param p50Millis median (estimated)
	 * @param p95Millis 95th percentile (estimated)
	 * @param maxMillis longest
	 */
	public record Latency(long count, double meanMillis, double p50Millis, double p95Millis, double maxMillis) {

	}

	/**
	 * A slow run of a task.
	 *
	 * @param jobId the job
	 * @param durationMillis how long it ran
	 * @param finishedAt when it finished
	 * @param instance the instance that ran it
	 * @param failed whether it failed
	 */
	public record SlowRun(String jobId, double durationMillis, Instant finishedAt, String instance, boolean failed) {

	}

	/**
	 * A running instance.
	 *
	 * @param id the instance id
	 * @param host its host
	 * @param pid its process id
	 * @param version the taskq version
	 * @param queues the queues it serves
	 * @param concurrency its worker slots
	 * @param busy slots running a job at its last heartbeat
	 * @param startedAt when it started
	 * @param lastSeenAt its last heartbeat
	 */
	public record Instance(String id, String host, long pid, String version, List<String> queues, int concurrency,
			int busy, Instant startedAt, Instant lastSeenAt) {

	}

}
