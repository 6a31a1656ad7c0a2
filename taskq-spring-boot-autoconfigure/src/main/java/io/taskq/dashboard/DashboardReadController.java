package io.taskq.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.taskq.client.QueueControl;
import io.taskq.fleet.FleetReader;
import io.taskq.fleet.FleetViews.Instance;
import io.taskq.fleet.FleetViews.Latency;
import io.taskq.fleet.FleetViews.Series;
import io.taskq.fleet.FleetViews.SlowRun;
import io.taskq.fleet.FleetViews.Window;
import io.taskq.recurring.CronSchedule;
import io.taskq.recurring.IntervalSchedule;
import io.taskq.recurring.RecurringJobInfo;
import io.taskq.recurring.RecurringJobs;
import io.taskq.recurring.Schedule;
import io.taskq.support.QueueStats;
import io.taskq.support.QueueStatsReader;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's read-only views: configuration, overview, tasks, instances and
 * recurring jobs.
 */
@RestController
@RequestMapping(DashboardSettings.API)
class DashboardReadController {

	private final DashboardSettings settings;

	private final DashboardQueues queues;

	private final QueueStatsReader stats;

	private final QueueControl queueControl;

	private final FleetReader fleet;

	private final ObjectProvider<RecurringJobs> recurringJobs;

	DashboardReadController(DashboardSettings settings, DashboardQueues queues, QueueStatsReader stats,
			QueueControl queueControl, FleetReader fleet, ObjectProvider<RecurringJobs> recurringJobs) {
		this.settings = settings;
		this.queues = queues;
		this.stats = stats;
		this.queueControl = queueControl;
		this.fleet = fleet;
		this.recurringJobs = recurringJobs;
	}

	@GetMapping("/config")
	Config config() {
		return new Config(this.settings.readOnly(), this.settings.showPayloads(), this.settings.refresh().toMillis(),
				this.queues.names());
	}

	@GetMapping("/overview")
	Overview overview(@RequestParam(defaultValue = "hour") String range) {
		List<QueueRow> rows = new ArrayList<>();
		for (String queue : this.queues.names()) {
			QueueStats figures = this.stats.read(queue);
			rows.add(new QueueRow(queue, figures.ready() - figures.inFlight(), figures.inFlight(), figures.delayed(),
					figures.dead(), figures.lag(), figures.oldestReadyAgeMillis(), this.queueControl.isPaused(queue)));
		}
		Window window = this.fleet.window(range);
		return new Overview(rows, window.series(), window.latency());
	}

	@GetMapping("/tasks")
	Map<String, Object> tasks(@RequestParam(defaultValue = "hour") String range) {
		Window window = this.fleet.window(range);
		return Map.of("range", range, "stepSeconds", window.stepSeconds(), "tasks", window.tasks());
	}

	@GetMapping("/tasks/{queue}/{task}/slow-runs")
	Map<String, List<SlowRun>> slowRuns(@PathVariable String queue, @PathVariable String task) {
		return Map.of("runs", this.fleet.slowRuns(queue, task));
	}

	@GetMapping("/instances")
	Map<String, List<Instance>> instances() {
		return Map.of("instances", this.fleet.instances());
	}

	@GetMapping("/recurring")
	Map<String, List<RecurringRow>> recurring() {
		RecurringJobs jobs = this.recurringJobs.getIfAvailable();
		List<RecurringRow> rows = (jobs != null) ? jobs.list().stream().map(RecurringRow::of).toList() : List.of();
		return Map.of("jobs", rows);
	}

	/**
	 * What the page needs to know first.
	 *
	 * @param readOnly whether writes are refused
	 * @param showPayloads whether payloads are shown
	 * @param refreshMillis how often to refresh
	 * @param queues the queues to show
	 */
	record Config(boolean readOnly, boolean showPayloads, long refreshMillis, List<String> queues) {

	}

	/**
	 * The overview.
	 *
	 * @param queues figures per queue
	 * @param series runs per second
	 * @param latency enqueue-to-start times
	 */
	record Overview(List<QueueRow> queues, Series series, Latency latency) {

	}

	/**
	 * One queue now.
	 *
	 * @param name the queue
	 * @param ready jobs waiting to start
	 * @param running jobs delivered to a worker and not finished
	 * @param delayed jobs waiting for their due time or a retry
	 * @param dead jobs in the dead letters
	 * @param lag jobs not yet delivered to any worker
	 * @param oldestWaitMillis how long the oldest undelivered job has waited
	 * @param paused whether the queue is paused
	 */
	record QueueRow(String name, long ready, long running, long delayed, long dead, long lag, long oldestWaitMillis,
			boolean paused) {

	}

	/**
	 * A recurring job.
	 *
	 * @param name its name (the task)
	 * @param queue its queue
	 * @param schedule the schedule as written: a cron expression and its zone, or
	 * {@code every} and the interval
	 * @param misfire the misfire policy
	 * @param paused whether it is paused
	 * @param lastFireAt its latest occurrence
	 * @param nextFireAt its next occurrence
	 */
	record RecurringRow(String name, String queue, String schedule, String misfire, boolean paused,
			@Nullable Instant lastFireAt, @Nullable Instant nextFireAt) {

		static RecurringRow of(RecurringJobInfo info) {
			return new RecurringRow(info.name(), info.queue(), describe(info.schedule()), info.misfire().value(),
					info.paused(), info.lastFired(), info.nextOccurrence());
		}

		/**
		 * A schedule as its annotation gives it: {@code 0 0 2 * * * UTC} (a cron and its
		 * zone), {@code every 30s}.
		 */
		static String describe(Schedule schedule) {
			if (schedule instanceof CronSchedule cron) {
				boolean utc = cron.zone().normalized().equals(ZoneOffset.UTC);
				return cron.expression() + " " + (utc ? "UTC" : cron.zone().getId());
			}
			Duration interval = ((IntervalSchedule) schedule).interval();
			return "every " + interval.toString().substring(2).toLowerCase(Locale.ROOT);
		}

	}

}
