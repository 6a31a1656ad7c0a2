/**
 * Recurring jobs: schedules declared on {@code @TaskHandler} methods, the one scheduler
 * thread that fires their occurrences, and the {@link io.taskq.recurring.RecurringJobs}
 * API to list, pause and resume them.
 */
@NullMarked
package io.taskq.recurring;

import org.jspecify.annotations.NullMarked;
