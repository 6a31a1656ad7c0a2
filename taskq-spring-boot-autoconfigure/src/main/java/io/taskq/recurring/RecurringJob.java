package io.taskq.recurring;

import java.time.Instant;

import io.taskq.JobId;

import org.springframework.util.Assert;

/**
 * A recurring job: a task enqueued, without payload, at every occurrence of a schedule.
 *
 * @param name the schedule's name, which is the task name
 * @param queue the queue the jobs go to (the handler's)
 * @param schedule when it fires
 * @param misfire what happens to occurrences no instance fired in time
 */
public record RecurringJob(String name, String queue, Schedule schedule, MisfirePolicy misfire) {

	/** Header of every recurring job: the occurrence it runs for, ISO-8601 UTC. */
	public static final String OCCURRENCE_HEADER = "occurrence";

	/**
	 * Header marking a run enqueued by {@link RecurringJobs#trigger}, outside the
	 * schedule.
	 */
	public static final String TRIGGERED_HEADER = "triggered";

	/** Leaves room for the occurrence in a job id of at most 200 characters. */
	private static final int MAX_NAME_LENGTH = 160;

	public RecurringJob {
		Assert.hasText(name, "Recurring job name must not be empty");
		Assert.isTrue(name.length() <= MAX_NAME_LENGTH,
				() -> "Recurring job name must not be longer than " + MAX_NAME_LENGTH + " characters: " + name);
	}

	/**
	 * The id of the job of one occurrence: the same on every instance, so logs, dead
	 * letters and tests can tell occurrences apart.
	 */
	public JobId jobId(Instant occurrence) {
		return JobId.of(this.name + "@" + occurrence);
	}

}
