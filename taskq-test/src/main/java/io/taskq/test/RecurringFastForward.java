package io.taskq.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.taskq.recurring.OccurrenceEnqueuer.FireResult;
import io.taskq.recurring.OccurrenceEnqueuer;
import io.taskq.recurring.RecurringJob;
import io.taskq.recurring.RecurringJobRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Makes time pass for recurring jobs: fires, through the real fire script, every
 * occurrence of every schedule between the test's time and that time advanced, on time
 * and in order, as an instance running all along would have. The test's time is the
 * clock's plus what was advanced; each span starts where the last one ended, so no
 * occurrence is skipped. The scheduler's own later firings of occurrences fired here find
 * them claimed, as they would on another instance.
 */
final class RecurringFastForward {

	/** More occurrences of one schedule than a test means to run in one step. */
	static final int MAX_OCCURRENCES = 1000;

	private final @Nullable RecurringJobRegistry registry;

	private final OccurrenceEnqueuer enqueuer;

	private Duration advanced = Duration.ZERO;

	/** The end of the last span fired, {@code null} before the first. */
	private @Nullable Instant firedUntil;

	RecurringFastForward(@Nullable RecurringJobRegistry registry, OccurrenceEnqueuer enqueuer) {
		this.registry = registry;
		this.enqueuer = enqueuer;
	}

	/**
	 * @return how many occurrences were enqueued (not those of paused schedules)
	 */
	synchronized int advance(Duration amount) {
		Instant now = Instant.now().plus(this.advanced);
		// From the end of the last span, not from now: real time passed since, and the
		// occurrences in between are due in the test's time, though not in the clock's.
		Instant from = (this.firedUntil != null && this.firedUntil.isBefore(now)) ? this.firedUntil : now;
		Instant to = now.plus(amount);
		int enqueued = 0;
		if (this.registry != null) {
			for (RecurringJob job : this.registry.jobs()) {
				for (Instant occurrence : occurrences(job, from, to)) {
					FireResult result = this.enqueuer.fire(job, occurrence, false);
					if (result == FireResult.ENQUEUED) {
						enqueued++;
					}
				}
			}
		}
		this.advanced = this.advanced.plus(amount);
		this.firedUntil = to;
		return enqueued;
	}

	/** Back to the clock's time, as after the recurring state was cleared. */
	synchronized void reset() {
		this.advanced = Duration.ZERO;
		this.firedUntil = null;
	}

	private static List<Instant> occurrences(RecurringJob job, Instant from, Instant to) {
		List<Instant> occurrences = new ArrayList<>();
		Instant next = job.schedule().next(from);
		while (next != null && !next.isAfter(to)) {
			if (occurrences.size() == MAX_OCCURRENCES) {
				throw new IllegalArgumentException(
						"Advancing time to " + to + " would fire more than " + MAX_OCCURRENCES
								+ " occurrences of recurring job '" + job.name() + "'; advance by less at a time");
			}
			occurrences.add(next);
			next = job.schedule().next(next);
		}
		return occurrences;
	}

}
