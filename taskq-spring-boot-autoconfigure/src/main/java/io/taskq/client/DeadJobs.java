package io.taskq.client;

import java.util.List;

import io.taskq.JobId;

/**
 * The dead letters of each queue: list them, send them back to run again, or delete them.
 */
public interface DeadJobs {

	/** How many dead jobs a queue holds. */
	long count(String queue);

	/** Dead jobs of a queue, most recent first. */
	List<DeadJob> list(String queue, int offset, int limit);

	/**
	 * Sends a dead job back to its queue with its retry count reset.
	 * @return {@code false} if the queue has no dead job with that id
	 */
	boolean retry(String queue, JobId id);

	/**
	 * Sends every dead job of a queue back.
	 * @return how many were sent back
	 */
	long retryAll(String queue);

	/**
	 * Deletes a dead job for good.
	 * @return {@code false} if the queue has no dead job with that id
	 */
	boolean delete(String queue, JobId id);

}
