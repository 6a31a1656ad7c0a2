package io.taskq.recurring;

import java.time.Instant;
import java.util.List;

import io.taskq.recurring.OccurrenceEnqueuer.FireResult;
import io.taskq.retry.OutageBackoff;
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
class RecurringScheduler implements SmartLifecycle {

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

	private final OutageBackoff backoff = new OutageBackoff(logger, "Firing recurring jobs");

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

	public RecurringOptions options() {
		return this.options;
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
		long start = System.currentTimeMillis();
		List<Slot> slots = jobs.stream().map((job) -> new Slot(job, start)).toList();
		while (this.running) {
			long wait = slots.stream().mapToLong((slot) -> slot.fireAt).min().orElse(Long.MAX_VALUE)
					- System.currentTimeMillis();
			if (wait <= 0) {
				fireDue(slots);
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

	private void fireDue(List<Slot> slots) {
		long now = System.currentTimeMillis();
		for (Slot slot : slots) {
			if (slot.fireAt > now) {
				continue;
			}
			try {
				fire(slot, now);
				this.backoff.succeeded();
			}
			catch (DataAccessException ex) {
				if (!this.running) {
					return;
				}
				// Redis fails every job alike: retry all that are due after one pause,
				// each
				// with the occurrence it was firing; the script keeps it exactly once.
				long retryAt = now + this.backoff.failed(ex).toMillis();
				slots.stream().filter((due) -> due.fireAt <= now).forEach((due) -> due.fireAt = retryAt);
				return;
			}
		}
	}

	private void fire(Slot slot, long now) {
		Schedule schedule = slot.job.schedule();
		Instant occurrence = slot.occurrence;
		long threshold = this.options.misfireThreshold().toMillis();
		if (occurrence == null || now - occurrence.toEpochMilli() > threshold) {
			// At start, or after a stall longer than the threshold: fire only the latest
			// occurrence; those before it are misfires, and at most one job covers them.
			occurrence = schedule.latest(Instant.ofEpochMilli(now));
		}
		// Otherwise occurrences fire one by one, so a short stall or outage loses none.
		if (occurrence != null) {
			boolean late = now - occurrence.toEpochMilli() > threshold;
			log(slot.job, occurrence, this.enqueuer.fire(slot.job, occurrence, late));
			slot.occurrence = schedule.next(occurrence);
		}
		else {
			slot.occurrence = schedule.next(Instant.ofEpochMilli(now));
		}
		slot.fireAt = (slot.occurrence != null) ? slot.occurrence.toEpochMilli() : Long.MAX_VALUE;
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

	/**
	 * One job's next occurrence, touched only by the scheduler thread.
	 */
	private static final class Slot {

		private final RecurringJob job;

		/**
		 * The occurrence to fire next; {@code null} at start, for the latest past one.
		 */
		private @Nullable Instant occurrence;

		/** When to fire it (later than the occurrence after a failure), epoch millis. */
		private long fireAt;

		Slot(RecurringJob job, long fireAt) {
			this.job = job;
			this.fireAt = fireAt;
		}

	}

}
