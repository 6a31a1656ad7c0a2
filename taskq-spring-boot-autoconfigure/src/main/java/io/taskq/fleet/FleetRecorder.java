package io.taskq.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.taskq.fleet.DurationTally.DurationFigures;
import io.taskq.fleet.InstanceDescription.Workers;
import io.taskq.support.JobExecution;
import io.taskq.support.JobObserver;
import io.taskq.support.redis.FleetScripts;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Gathers this instance's run and wait figures in memory, per task and per queue, for the
 * {@link FleetReporter} to write in one call per report interval. On the hot path it
 * costs two map lookups and a few uncontended adds per job.
 */
public class FleetRecorder implements JobObserver {

	/** By queue, then task: looked up without allocating a key per run. */
	private final Map<String, Map<String, TaskTally>> tasks = new ConcurrentHashMap<>();

	private final Map<String, DurationTally> waits = new ConcurrentHashMap<>();

	@Override
	public void executed(JobExecution execution) {
		long micros = TimeUnit.NANOSECONDS.toMicros(execution.durationNanos());
		boolean failed = switch (execution.result()) {
			case RETRY, DEAD, RECOVERED -> true;
			case SUCCESS, CANCELLED -> false;
		};
		tally(execution.queue(), execution.task()).add(execution, micros, failed);
		if (execution.readyAt() > 0) {
			long waitMillis = Math.max(0, execution.startedAt() - execution.readyAt());
			DurationTally waits = this.waits.get(execution.queue());
			if (waits == null) {
				waits = this.waits.computeIfAbsent(execution.queue(), (queue) -> new DurationTally());
			}
			waits.add(waitMillis * 1000);
		}
	}

	private TaskTally tally(String queue, String task) {
		Map<String, TaskTally> ofQueue = this.tasks.get(queue);
		if (ofQueue == null) {
			ofQueue = this.tasks.computeIfAbsent(queue, (key) -> new ConcurrentHashMap<>());
		}
		TaskTally tally = ofQueue.get(task);
		return (tally != null) ? tally : ofQueue.computeIfAbsent(task, (key) -> new TaskTally());
	}

	/**
	 * The lifecycle bean that writes what this recorder gathers, with the instance's
	 * heartbeat, once per report interval (see {@link FleetReporter}).
	 * @param instanceId the instance id (its consumer name when it runs workers)
	 * @param workers the instance's workers now
	 * @param interval the report interval
	 * @param stopDeadline until when ({@link System#nanoTime()}) the stop may wait for
	 * the last report: the listener's deadline for its courtesy calls to Redis
	 */
	public SmartLifecycle reporter(FleetScripts scripts, String instanceId, Supplier<Workers> workers,
			Duration interval, LongSupplier stopDeadline) {
		return new FleetReporter(this, scripts, instanceId, workers, interval, stopDeadline);
	}

	/** Everything gathered since the last call, and resets. */
	Gathered takeGathered() {
		List<TaskFigures> taskFigures = new ArrayList<>();
		this.tasks.forEach((queue, ofQueue) -> ofQueue.forEach((task, tally) -> {
			TaskFigures figures = tally.takeFigures(queue, task);
			if (figures != null) {
				taskFigures.add(figures);
			}
		}));
		List<WaitFigures> waitFigures = new ArrayList<>();
		this.waits.forEach((queue, tally) -> {
			DurationFigures figures = tally.takeFigures();
			if (figures != null) {
				waitFigures.add(new WaitFigures(queue, figures));
			}
		});
		return new Gathered(taskFigures, waitFigures);
	}

	/**
	 * What an instance gathered between two reports.
	 *
	 * @param tasks run figures per task that ran
	 * @param waits wait figures per queue with runs
	 */
	record Gathered(List<TaskFigures> tasks, List<WaitFigures> waits) {

		boolean isEmpty() {
			return this.tasks.isEmpty() && this.waits.isEmpty();
		}

	}

	/**
	 * One task's runs between two reports.
	 *
	 * @param queue the queue
	 * @param task the task
	 * @param runs the run times
	 * @param failed how many runs failed
	 * @param slowest the slowest run ({@code null} in the rare report that took a run's
	 * figures before the run was offered as the slowest)
	 */
	record TaskFigures(String queue, String task, DurationFigures runs, long failed, @Nullable SlowRun slowest) {

	}

	/**
	 * One queue's enqueue-to-start waits between two reports.
	 *
	 * @param queue the queue
	 * @param waits the waits
	 */
	record WaitFigures(String queue, DurationFigures waits) {

	}

	/**
	 * A run, as the slow-run list keeps it.
	 *
	 * @param jobId the job
	 * @param micros how long it ran
	 * @param finishedAt when it finished (epoch millis)
	 * @param failed whether it failed
	 */
	record SlowRun(String jobId, long micros, long finishedAt, boolean failed) {

	}

	private static final class TaskTally {

		private final DurationTally runs = new DurationTally();

		private final LongAdder failed = new LongAdder();

		private final AtomicReference<@Nullable SlowRun> slowest = new AtomicReference<>();

		void add(JobExecution execution, long micros, boolean failed) {
			this.runs.add(micros);
			if (failed) {
				this.failed.increment();
			}
			SlowRun current = this.slowest.get();
			if (current == null || micros > current.micros()) {
				SlowRun run = new SlowRun(execution.jobId().value(), micros,
						execution.startedAt() + TimeUnit.MICROSECONDS.toMillis(micros), failed);
				while ((current == null || micros > current.micros()) && !this.slowest.compareAndSet(current, run)) {
					current = this.slowest.get();
				}
			}
		}

		@Nullable TaskFigures takeFigures(String queue, String task) {
			DurationFigures runs = this.runs.takeFigures();
			SlowRun slowest = this.slowest.getAndSet(null);
			long failed = this.failed.sumThenReset();
			if (runs == null) {
				return null;
			}
			return new TaskFigures(queue, task, runs, failed, slowest);
		}

	}

}
