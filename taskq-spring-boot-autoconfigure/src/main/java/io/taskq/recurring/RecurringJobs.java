package io.taskq.recurring;

import java.util.List;

import io.taskq.JobId;

/**
 * Lists, pauses and resumes the recurring jobs of this application. Pausing acts on every
 * instance: the state lives in Redis. A paused schedule's occurrences are passed over,
 * not saved up, so resuming runs no backlog.
 */
public interface RecurringJobs {

	/** Every recurring job of this application with its state in Redis, by name. */
	List<RecurringJobInfo> list();

	/**
	 * @throws IllegalArgumentException if this application has no recurring job of that
	 * name
	 */
	void pause(String name);

	/**
	 * @throws IllegalArgumentException if this application has no recurring job of that
	 * name
	 */
	void resume(String name);

	/**
	 * Enqueues one run of a recurring job now, outside its schedule: the schedule's
	 * occurrences go on as before. The job carries the time of the trigger in its
	 * {@code occurrence} header, like an occurrence, and {@code triggered=manual}.
	 * @return the id of the job enqueued
	 * @throws IllegalArgumentException if this application has no recurring job of that
	 * name
	 */
	JobId trigger(String name);

}
