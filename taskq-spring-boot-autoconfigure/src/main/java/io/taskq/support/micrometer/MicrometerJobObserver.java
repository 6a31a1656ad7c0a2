package io.taskq.support.micrometer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskq.support.JobExecution;
import io.taskq.support.JobObserver;
import org.jspecify.annotations.Nullable;

/**
 * Records timers and counters of every job. Meters are built once per tag combination and
 * cached, so the hot path is a map lookup and a record.
 * <ul>
 * <li>{@code taskq.job.execution} (timer; queue, task, outcome): handler run time,
 * outcome {@code success}, {@code retry} or {@code dead}</li>
 * <li>{@code taskq.job.wait} (timer; queue, task): from ready (enqueued, or promoted when
 * due) to start, the figure that shows workers falling behind</li>
 * <li>{@code taskq.job.lateness} (timer; queue, task): start minus due time, delayed jobs
 * only</li>
 * <li>{@code taskq.jobs.enqueued} (counter; queue), {@code taskq.jobs.retried},
 * {@code taskq.jobs.dead}, {@code taskq.jobs.reclaimed} (counters; queue, task)</li>
 * </ul>
 * Percentile histograms are off by default, as for every Micrometer timer; turn them on
 * with {@code management.metrics.distribution.percentiles-histogram.taskq.job=true}.
 */
public class MicrometerJobObserver implements JobObserver {

	private final MeterRegistry registry;

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	public MicrometerJobObserver(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void enqueued(String queue, int jobs) {
		counter("taskq.jobs.enqueued", queue, null).increment(jobs);
	}

	@Override
	public void executed(JobExecution execution) {
		String queue = execution.queue();
		String task = execution.task();
		String outcome = execution.result().tag();
		this.timers
			.computeIfAbsent("execution\0" + queue + "\0" + task + "\0" + outcome,
					(key) -> Timer.builder("taskq.job.execution")
						.description("Time handlers take to run a job")
						.tags("queue", queue, "task", task, "outcome", outcome)
						.register(this.registry))
			.record(execution.durationNanos(), TimeUnit.NANOSECONDS);
		if (execution.readyAt() > 0) {
			timer("taskq.job.wait", "Time from a job becoming ready to its start", queue, task)
				.record(Math.max(0, execution.startedAt() - execution.readyAt()), TimeUnit.MILLISECONDS);
		}
		if (execution.dueAt() > 0) {
			timer("taskq.job.lateness", "Time from a delayed job's due time to its start", queue, task)
				.record(Math.max(0, execution.startedAt() - execution.dueAt()), TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void retried(String queue, String task) {
		counter("taskq.jobs.retried", queue, task).increment();
	}

	@Override
	public void deadLettered(String queue, String task) {
		counter("taskq.jobs.dead", queue, task).increment();
	}

	@Override
	public void reclaimed(String queue, String task) {
		counter("taskq.jobs.reclaimed", queue, task).increment();
	}

	private Timer timer(String name, String description, String queue, String task) {
		return this.timers.computeIfAbsent(name + "\0" + queue + "\0" + task,
				(key) -> Timer.builder(name)
					.description(description)
					.tags("queue", queue, "task", task)
					.register(this.registry));
	}

	private Counter counter(String name, String queue, @Nullable String task) {
		return this.counters.computeIfAbsent(name + "\0" + queue + "\0" + task, (key) -> {
			Counter.Builder builder = Counter.builder(name).tag("queue", queue);
			if (task != null) {
				builder.tag("task", task);
			}
			return builder.register(this.registry);
		});
	}

}
