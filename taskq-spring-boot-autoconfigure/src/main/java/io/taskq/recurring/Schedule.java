package io.taskq.recurring;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * When a recurring job fires. Occurrences are a pure function of the schedule, so every
 * instance computes the same instants without talking to the others; the fire script then
 * lets only the first instance enqueue each one.
 */
public sealed interface Schedule permits CronSchedule, IntervalSchedule {

	/**
	 * The first occurrence strictly after an instant, or {@code null} if there is none (a
	 * cron expression that never matches again).
	 */
	@Nullable Instant next(Instant after);

	/**
	 * The latest occurrence at or before an instant, or {@code null} if there is none in
	 * a reasonable look-back.
	 */
	@Nullable Instant latest(Instant atOrBefore);

}
