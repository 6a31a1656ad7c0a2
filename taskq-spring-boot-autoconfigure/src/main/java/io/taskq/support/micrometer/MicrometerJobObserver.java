package io.taskq.support.micrometer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
 * outcome {@code success}, {@code retry}, {@code dead}, {@code recovered} or
 * {@code cancelled}</li>
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

	private final Map<QueueTask, TaskMeters> taskMeters = new ConcurrentHashMap<>();

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
		// Called for every job: one lookup by a key that needs no string building.
		TaskMeters meters = this.taskMeters.computeIfAbsent(new QueueTask(execution.queue(), execution.task()),
				(key) -> new TaskMeters(this.registry, key));
		meters.execution(execution.result()).record(execution.durationNanos(), TimeUnit.NANOSECONDS);
		if (execution.readyAt() > 0) {
			meters.waitTime().record(Math.max(0, execution.startedAt() - execution.readyAt()), TimeUnit.MILLISECONDS);
		}
		if (execution.dueAt() > 0) {
			meters.lateness().record(Math.max(0, execution.startedAt() - execution.dueAt()), TimeUnit.MILLISECONDS);
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
	public void deadLettersTrimmed(String queue, long count) {
		counter("taskq.dead.trimmed", queue, null).increment(count);
	}

	@Override
	public void reclaimed(String queue, String task) {
		counter("taskq.jobs.reclaimed", queue, task).increment();
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

	private record QueueTask(String queue, String task) {

	}

	/**
	 * One task's timers, registered when first used: a task that never runs late has no
	 * lateness timer. Racing registrations are harmless, the registry returns the meter
	 * already registered under the same id.
	 */
	private static final class TaskMeters {

		private final MeterRegistry registry;

		private final QueueTask key;

		private final AtomicReferenceArray<Timer> executions = new AtomicReferenceArray<>(
				JobExecution.Result.values().length);

		private volatile @Nullable Timer waitTime;

		private volatile @Nullable Timer lateness;

		TaskMeters(MeterRegistry registry, QueueTask key) {
			this.registry = registry;
			this.key = key;
		}

		Timer execution(JobExecution.Result result) {
			Timer timer = this.executions.get(result.ordinal());
			if (timer == null) {
				timer = register(Timer.builder("taskq.job.execution")
					.description("Time handlers take to run a job")
					.tag("outcome", result.tag()));
				this.executions.set(result.ordinal(), timer);
			}
			return timer;
		}

		Timer waitTime() {
			Timer timer = this.waitTime;
			if (timer == null) {
				timer = register(
						Timer.builder("taskq.job.wait").description("Time from a job becoming ready to its start"));
				this.waitTime = timer;
			}
			return timer;
		}

		Timer lateness() {
			Timer timer = this.lateness;
			if (timer == null) {
				timer = register(Timer.builder("taskq.job.lateness")
					.description("Time from a delayed job's due time to its start"));
				this.lateness = timer;
			}
			return timer;
		}

		private Timer register(Timer.Builder builder) {
			return builder.tags("queue", this.key.queue(), "task", this.key.task()).register(this.registry);
		}

	}

}
