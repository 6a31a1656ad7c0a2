package io.taskq.client;

import org.jspecify.annotations.Nullable;

/**
 * Tells which queue a task's handler listens on, so producers in the same application do
 * not repeat it.
 */
@FunctionalInterface
public interface TaskRouter {

	/** The queue of the task's handler, or {@code null} if this application has none. */
	@Nullable String queueOf(String task);

	/**
	 * Whether this application's handler of the task records the state of every job (it
	 * returns a value, or asks for tracking), so jobs are tracked from enqueue on.
	 */
	default boolean isTracked(String task) {
		return false;
	}

}
