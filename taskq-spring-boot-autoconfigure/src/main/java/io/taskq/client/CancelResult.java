package io.taskq.client;

/**
 * What {@link JobClient#cancel} achieved.
 */
public enum CancelResult {

	/**
	 * The job was waiting for its due time (scheduled, or between retries) and is
	 * removed: it will never run.
	 */
	CANCELLED,

	/**
	 * The job was not waiting for a due time. If it is queued it will not start; if it
	 * runs, its handler is interrupted and sees the request; a job that already finished
	 * is not affected. Tracked jobs end in the {@code cancelled} state.
	 */
	REQUESTED

}
