package io.taskq.listener;

import io.taskq.support.JobMessage;
import org.jspecify.annotations.Nullable;

/**
 * What became of one delivery of a job, to be written back to Redis. A {@code tracking}
 * of {@code null} means there is nothing to write but the outcome itself.
 */
sealed interface Outcome {

	/** The stream entry the delivery came from. */
	String entryId();

	/** The job ran to completion: acknowledge and delete the entry. */
	record Done(String entryId, @Nullable Tracking tracking, @Nullable String result) implements Outcome {

		Done(String entryId) {
			this(entryId, null, null);
		}

	}

	/**
	 * The job was cancelled before or while running: acknowledge and delete the entry.
	 */
	record Cancelled(String entryId, @Nullable Tracking tracking) implements Outcome {
	}

	/** The job failed and runs again at {@code dueAt} (epoch millis). */
	record Retry(String entryId, JobMessage retried, long dueAt, @Nullable Tracking tracking,
			String error) implements Outcome {
	}

	/**
	 * The job waits, for a slot of its concurrency key or for an instance that has its
	 * handler: back to the delayed set until {@code dueAt}, not counted as an attempt.
	 */
	record Deferred(String entryId, JobMessage job, long dueAt) implements Outcome {
	}

	/** The job was cut short by shutdown: write nothing, it stays pending. */
	record Abandoned(String entryId) implements Outcome {
	}

	/** The job goes to the dead letters. */
	record Dead(String entryId, JobMessage job, String reason, @Nullable Throwable error, int attempts,
			@Nullable Tracking tracking) implements Outcome {
	}

	/**
	 * Not an outcome but a write the writer does in order before it: a tracked job
	 * started (its state becomes running; a lock held until start is released).
	 */
	record Started(String entryId, Tracking tracking) implements Outcome {
	}

}
