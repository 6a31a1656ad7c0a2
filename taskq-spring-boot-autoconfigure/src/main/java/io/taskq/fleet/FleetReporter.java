package io.taskq.fleet;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.taskq.fleet.DurationTally.DurationFigures;
import io.taskq.fleet.FleetRecorder.Gathered;
import io.taskq.fleet.FleetRecorder.SlowRun;
import io.taskq.fleet.FleetRecorder.TaskFigures;
import io.taskq.fleet.FleetRecorder.WaitFigures;
import io.taskq.fleet.InstanceDescription.Workers;
import io.taskq.support.redis.FleetFigure;
import io.taskq.support.redis.FleetKeys;
import io.taskq.support.redis.FleetScripts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;

/**
 * Writes what the {@link FleetRecorder} gathered, with this instance's heartbeat, in one
 * script call per report interval. An idle instance writes only its heartbeat, every
 * {@value #HEARTBEAT_EVERY} intervals or as soon as the queues it serves change, and
 * stays listed for {@value #LISTED_FOR} intervals without one: an instance that died
 * drops out on its own. A report Redis refuses is dropped (the figures are a view, not
 * jobs) and the failure logged once until a report succeeds again.
 */
class FleetReporter implements SmartLifecycle {

	/** Stops after the listener containers, so the last runs are reported. */
	static final int PHASE = Integer.MAX_VALUE - 2000;

	static final int HEARTBEAT_EVERY = 6;

	static final int LISTED_FOR = 18;

	private static final Log logger = LogFactory.getLog(FleetReporter.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final FleetRecorder recorder;

	private final FleetScripts scripts;

	private final Supplier<Workers> workers;

	private final String instanceId;

	private final Duration interval;

	private final LongSupplier stopDeadline;

	private final String host = hostName();

	private final long pid = ManagementFactory.getRuntimeMXBean().getPid();

	private final String version;

	private final long startedAt = System.currentTimeMillis();

	private @Nullable ScheduledExecutorService executor;

	private long lastReportAt;

	private @Nullable Workers lastWorkers;

	private boolean failing;

	/**
	 * @param stopDeadline until when ({@link System#nanoTime()}) the stop may wait for
	 * the last report: the listener's deadline for its own courtesy calls to Redis, so
	 * the stop of both stays within the listener's bound
	 */
	FleetReporter(FleetRecorder recorder, FleetScripts scripts, String instanceId, Supplier<Workers> workers,
			Duration interval, LongSupplier stopDeadline) {
		this.stopDeadline = stopDeadline;
		this.recorder = recorder;
		this.scripts = scripts;
		this.instanceId = instanceId;
		this.workers = workers;
		this.interval = interval;
		String version = FleetReporter.class.getPackage().getImplementationVersion();
		this.version = (version != null) ? version : "";
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "taskq-fleet-report");
			thread.setDaemon(true);
			return thread;
		});
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		executor.scheduleWithFixedDelay(this::reportIfDue, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	/**
	 * Writes the last figures and takes the instance off the list, waiting a second at
	 * most, and no longer than the listener's stop deadline allows, nor at all while
	 * reports fail: a Redis that does not answer must not hold the shutdown up. An
	 * instance whose last report was not written drops out of the list on its own.
	 */
	@Override
	public synchronized void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor == null) {
			return;
		}
		this.executor = null;
		executor.shutdownNow();
		long waitNanos = Math.min(TimeUnit.SECONDS.toNanos(1), this.stopDeadline.getAsLong() - System.nanoTime());
		if (this.failing || waitNanos <= 0) {
			return;
		}
		Thread last = new Thread(() -> {
			try {
				report(this.recorder.takeGathered(), this.workers.get());
				this.scripts.leave(this.instanceId);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not write taskq's last fleet report", ex);
			}
		}, "taskq-fleet-leave");
		last.setDaemon(true);
		last.start();
		try {
			last.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void reportIfDue() {
		try {
			Gathered gathered = this.recorder.takeGathered();
			long now = System.currentTimeMillis();
			Workers workers = this.workers.get();
			boolean changed = this.lastWorkers == null || !workers.queues().equals(this.lastWorkers.queues())
					|| workers.concurrency() != this.lastWorkers.concurrency();
			if (gathered.isEmpty() && !changed
					&& now - this.lastReportAt < HEARTBEAT_EVERY * this.interval.toMillis() - 50) {
				return;
			}
			report(gathered, workers);
			this.lastWorkers = workers;
			this.lastReportAt = now;
			if (this.failing) {
				this.failing = false;
				logger.info("taskq writes its fleet figures again");
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				this.failing = true;
				logger.warn("taskq could not write its fleet figures and heartbeat (the dashboard will miss this"
						+ " instance's runs until Redis answers again): " + ex);
			}
		}
	}

	private void report(Gathered gathered, Workers workers) {
		List<FleetFigure> figures = new ArrayList<>();
		Map<String, String> slowRuns = new LinkedHashMap<>();
		FleetKeys keys = this.scripts.keys();
		for (TaskFigures task : gathered.tasks()) {
			add(figures, task.runs(), (metric) -> FleetKeys.taskField(task.queue(), task.task(), metric));
			if (task.failed() > 0) {
				figures.add(new FleetFigure(FleetKeys.taskField(task.queue(), task.task(), FleetKeys.FAILED), false,
						task.failed()));
			}
			SlowRun slowest = task.slowest();
			if (slowest != null) {
				slowRuns.put(keys.slowRuns(task.queue(), task.task()),
						JSON.writeValueAsString(Map.of("jobId", slowest.jobId(), "micros", slowest.micros(),
								"finishedAt", slowest.finishedAt(), "failed", slowest.failed(), "instance",
								this.instanceId)));
			}
		}
		for (WaitFigures wait : gathered.waits()) {
			add(figures, wait.waits(), (metric) -> FleetKeys.waitField(wait.queue(), metric));
		}
		this.scripts.report(System.currentTimeMillis(), this.instanceId, describe(workers),
				this.interval.multipliedBy(LISTED_FOR), figures, slowRuns);
	}

	private static void add(List<FleetFigure> figures, DurationFigures durations, Function<String, String> field) {
		figures.add(new FleetFigure(field.apply(FleetKeys.COUNT), false, durations.count()));
		figures.add(new FleetFigure(field.apply(FleetKeys.SUM), false, durations.sumMicros()));
		figures.add(new FleetFigure(field.apply(FleetKeys.MAX), true, durations.maxMicros()));
		long[] buckets = durations.buckets();
		for (int i = 0; i < buckets.length; i++) {
			if (buckets[i] > 0) {
				figures.add(new FleetFigure(field.apply(FleetKeys.BUCKET + i), false, buckets[i]));
			}
		}
	}

	private String describe(Workers now) {
		return JSON.writeValueAsString(new InstanceDescription(this.instanceId, this.host, this.pid, this.version,
				now.queues(), now.concurrency(), now.busy(), this.startedAt));
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown";
		}
	}

}
