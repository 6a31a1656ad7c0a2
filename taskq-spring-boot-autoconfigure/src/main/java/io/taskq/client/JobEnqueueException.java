package io.taskq.client;

import io.taskq.TaskqException;

/**
 * Redis did not store a job: it is unreachable, timed out, or refused the write. The job
 * was not enqueued (for a bulk call, jobs of earlier batches may have been).
 */
public class JobEnqueueException extends TaskqException {

	public JobEnqueueException(String message, Throwable cause) {
		super(message, cause);
	}

}
