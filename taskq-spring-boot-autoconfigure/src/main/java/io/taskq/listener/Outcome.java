package io.taskq.listener;

import io.taskq.support.JobMessage;
import org.jspecify.annotations.Nullable;

/**
 * What became of one delivery of a job, to be written back to Redis.
 */
sealed interface Outcome {

	/** The stream entry the delivery came from. */
	String entryId();

	/** The job ran to completion: acknowledge and delete the entry. */
	record Done(String entryId) implements Outcome {
	}

	/** The job failed and runs again at {@code dueAt} (epoch millis). */
	record Retry(String entryId, JobMessage retried, long dueAt) implements Outcome {
	}

	/** The job was cut short by shutdown: write nothing, it stays pending. */
	record Abandoned(String entryId) implements Outcome {
	}

	/** The job goes to the dead letters. */
	record Dead(String entryId, JobMessage job, String reason, @Nullable Throwable error,
			int attempts) implements Outcome {
	}

}
