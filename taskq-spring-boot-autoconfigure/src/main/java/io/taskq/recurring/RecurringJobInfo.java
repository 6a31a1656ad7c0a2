package io.taskq.recurring;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A recurring job and its state.
 *
 * @param name the schedule's name, which is the task name
 * @param queue the queue its jobs go to
 * @param schedule a {@link CronSchedule} (expression and zone) or an
 * {@link IntervalSchedule}
 * @param misfire what happens to occurrences no instance fired in time
 * @param paused whether it is paused
 * @param lastFired the latest occurrence claimed by any instance (enqueued, or passed
 * over while paused or missed), {@code null} if none yet
 * @param nextOccurrence the next occurrence, {@code null} if there is none
 */
public record RecurringJobInfo(String name, String queue, Schedule schedule, MisfirePolicy misfire, boolean paused,
		@Nullable Instant lastFired, @Nullable Instant nextOccurrence) {

}
