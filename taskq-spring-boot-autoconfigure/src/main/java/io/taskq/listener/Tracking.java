package io.taskq.listener;

import org.jspecify.annotations.Nullable;

/**
 * What must be written about a job beyond acknowledging it (issue 5): its recorded state,
 * the uniqueness lock it holds, the concurrency lease it holds, the id record of its
 * explicit id (issue 16). A job with none of these has no {@code Tracking}, and its
 * outcome is a plain batched acknowledgement.
 *
 * @param jobId the job id
 * @param task the task name
 * @param attempt the attempt that ran
 * @param status whether the job's state is recorded
 * @param uniqueKey the uniqueness key whose lock it owns until it finishes, or
 * {@code null}
 * @param uniqueUntilStarted whether that lock goes when the job starts
 * @param leaseKey the concurrency key it holds a lease of, or {@code null}
 * @param idRecorded whether its explicit id holds an id record until it ends
 */
record Tracking(String jobId, String task, int attempt, boolean status, @Nullable String uniqueKey,
		boolean uniqueUntilStarted, @Nullable String leaseKey, boolean idRecorded) {

	/** Whether starting the job has something to write: its state or an early unlock. */
	boolean writesOnStart() {
		return this.status || (this.uniqueKey != null && this.uniqueUntilStarted);
	}

	Tracking withoutLease() {
		return new Tracking(this.jobId, this.task, this.attempt, this.status, this.uniqueKey, this.uniqueUntilStarted,
				null, this.idRecorded);
	}

	Tracking withLeaseKey(String leaseKey) {
		return new Tracking(this.jobId, this.task, this.attempt, this.status, this.uniqueKey, this.uniqueUntilStarted,
				leaseKey, this.idRecorded);
	}

}
