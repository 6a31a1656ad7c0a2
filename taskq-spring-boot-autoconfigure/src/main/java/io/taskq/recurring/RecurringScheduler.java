package io.taskq.recurring;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.taskq.listener.FailureBackoff;
import io.taskq.recurring.OccurrenceEnqueuer.FireResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;

/**
 * Fires the occurrences of every recurring job of the application from one daemon thread,
 * {@code taskq-recurring}, that sleeps until the earliest next occurrence. Every instance
 * runs one and fires every occurrence; the fire script lets exactly one call per
 * occurrence enqueue it, so no instance leads and none can die holding the lead.
 * <p>
 * Redis round trips: one script call per job, occurrence and instance. An application
 * without recurring jobs starts no thread and sends nothing.
 */
public class RecurringScheduler implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RecurringScheduler.class);

	/**
	 * Longest sleep between looks at the clock, so a wall clock that jumps (NTP step,
	 * suspended VM) delays an occurrence by this much at most. It costs no Redis command.
	 */
	private static final long MAX_SLEEP_MILLIS = 10_000;

	private final RecurringJobRegistry registry;

	private final OccurrenceEnqueuer enqueuer;

	private final RecurringOptions options;

	private final int phase;

	private final FailureBackoff backoff = new FailureBackoff(logger, "Firing recurring jobs");

	private @Nullable Thread thread;

	private volatile boolean running;

	/**
	 * @param phase the lifecycle phase, the listeners' so jobs are enqueued while they
	 * run
	 */
	public RecurringScheduler(RecurringJobRegistry registry, OccurrenceEnqueuer enqueuer, RecurringOptions options,
			int phase) {
		this.registry = registry;
		this.enqueuer = enqueuer;
		this.options = options;
		this.phase = phase;
	}

	@Override
	public void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		List<RecurringJob> jobs = this.registry.jobs();
		if (jobs.isEmpty()) {
			return;
		}
		Thread thread = new Thread(() -> run(jobs), "taskq-recurring");
		thread.setDaemon(true);
		this.thread = thread;
		thread.start();
		logger.info("taskq firing recurring jobs " + jobs.stream().map(RecurringJob::name).toList());
	}

	@Override
	public void stop() {
		this.running = false;
		Thread thread = this.thread;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.thread = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	private void run(List<RecurringJob> jobs) {
		// When each job fires next, epoch millis. Now at first: the latest past
		// occurrence
		// is fired at start, which is how missed occurrences are caught up after every
		// instance was down (for the others the script finds it already claimed).
		Map<RecurringJob, Long> dueAt = new LinkedHashMap<>();
		long start = System.currentTimeMillis();
		jobs.forEach((job) -> dueAt.put(job, start));
		while (this.running) {
			long wait = Collections.min(dueAt.values()) - System.currentTimeMillis();
			if (wait <= 0) {
				fireDue(dueAt);
				continue;
			}
			try {
				Thread.sleep(Math.min(wait, MAX_SLEEP_MILLIS));
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void fireDue(Map<RecurringJob, Long> dueAt) {
		long now = System.currentTimeMillis();
		for (Map.Entry<RecurringJob, Long> entry : dueAt.entrySet()) {
			if (entry.getValue() > now) {
				continue;
			}
			try {
				entry.setValue(fire(entry.getKey(), now));
				this.backoff.succeeded();
			}
			catch (DataAccessException ex) {
				if (!this.running) {
					return;
				}
				// Redis fails every job alike: retry all that are due after one pause. By
				// then the latest occurrence may be a newer one; the script keeps it
				// exactly once either way.
				long retryAt = now + this.backoff.failed(ex).toMillis();
				dueAt.replaceAll((job, due) -> (due <= now) ? retryAt : due);
				return;
			}
		}
	}

	/**
	 * Fires the job's latest occurrence at or before now.
	 * @return when the job fires next, epoch millis
	 */
	private long fire(RecurringJob job, long now) {
		Instant instant = Instant.ofEpochMilli(now);
		Instant occurrence = job.schedule().latest(instant);
		if (occurrence != null) {
			boolean late = now - occurrence.toEpochMilli() > this.options.misfireThreshold().toMillis();
			log(job, occurrence, this.enqueuer.fire(job, occurrence, late));
		}
		Instant next = job.schedule().next(instant);
		return (next != null) ? next.toEpochMilli() : Long.MAX_VALUE;
	}

	private void log(RecurringJob job, Instant occurrence, FireResult result) {
		String what = "Recurring job '" + job.name() + "' on queue '" + job.queue() + "'";
		switch (result) {
			case ENQUEUED_LATE -> logger.info(what + " missed its occurrences up to " + occurrence
					+ " (no instance could fire them); enqueued one job " + job.jobId(occurrence)
					+ " for them (misfire run-once)");
			case SKIPPED -> logger.info(what + " missed its occurrences up to " + occurrence
					+ " (no instance could fire them); skipped them (misfire skip)");
			case ENQUEUED -> {
				if (logger.isDebugEnabled()) {
					logger.debug(what + " enqueued job " + job.jobId(occurrence));
				}
			}
			default -> {
				if (logger.isTraceEnabled()) {
					logger.trace(what + " occurrence " + occurrence + ": " + result);
				}
			}
		}
	}

}
