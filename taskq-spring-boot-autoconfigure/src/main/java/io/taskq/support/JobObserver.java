package io.taskq.support;

import java.util.List;

/**
 * Hears what happens to jobs, for metrics and logs. Called on the hot path (a worker
 * thread after each job, the caller's thread after each enqueue), so implementations must
 * be cheap and must not throw. Register beans of this type to add observers.
 */
public interface JobObserver {

	/** An observer that does nothing. */
	JobObserver NONE = new JobObserver() {
	};

	/**
	 * One observer that hands every event to the given ones, in order: {@link #NONE} for
	 * none, the observer itself for one.
	 */
	static JobObserver composite(List<JobObserver> observers) {
		return CompositeJobObserver.of(observers);
	}

	/** Jobs were stored for a queue (ready or delayed). */
	default void enqueued(String queue, int jobs) {
	}

	/** A handler ran. */
	default void executed(JobExecution execution) {
	}

	/** A failed job was scheduled to run again. */
	default void retried(String queue, String task) {
	}

	/** A job went to the dead letters (after running or without being able to run). */
	default void deadLettered(String queue, String task) {
	}

	/**
	 * Old dead jobs of a queue were removed to keep the dead letters within their bounds
	 * ({@code taskq.dead-letters.max-count} and {@code max-age}).
	 */
	default void deadLettersTrimmed(String queue, long count) {
	}

	/** A job left pending by another consumer was taken over. */
	default void reclaimed(String queue, String task) {
	}

}
