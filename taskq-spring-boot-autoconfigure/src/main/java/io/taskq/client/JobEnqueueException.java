package io.taskq.client;

import io.taskq.TaskqException;
import org.jspecify.annotations.Nullable;

/**
 * Redis did not store a job: it is unreachable, timed out, or refused the write. The job
 * was not enqueued. For a bulk call, jobs of earlier batches may have been, and when
 * Redis refuses writes at maxmemory part of the failing batch may have been too: its ids
 * are in the order given, so a caller can check what arrived.
 */
public class JobEnqueueException extends TaskqException {

	public JobEnqueueException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
