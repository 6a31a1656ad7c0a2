package io.taskq.listener;

import io.taskq.listener.adapter.TaskEndpoint;
import io.taskq.support.JobMessage;
import org.jspecify.annotations.Nullable;

/**
 * What {@link JobAdmission} decided for a delivered entry.
 */
sealed interface Admission {

	/**
	 * The job may run: everything its run needs.
	 *
	 * @param job the decoded job
	 * @param endpoint its handler here
	 * @param payload the payload read as the handler's type, or {@code null}
	 * @param attempt this run's attempt, from 1
	 * @param maxRetries the retries the job may have
	 * @param tracking what is recorded about the job, or {@code null} for a plain job
	 * @param timeoutMillis the run's timeout, 0 for none
	 */
	record Admitted(JobMessage job, TaskEndpoint endpoint, @Nullable Object payload, int attempt, int maxRetries,
			@Nullable Tracking tracking, long timeoutMillis) implements Admission {
	}

	/**
	 * The job does not run here now.
	 *
	 * @param outcome what becomes of it
	 */
	record Refused(Outcome outcome) implements Admission {
	}

}
