package io.taskq.listener.adapter;

import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.taskq.JobContext;
import io.taskq.JobId;

/**
 * The {@link JobContext} handed to handlers.
 *
 * @param cancellation tells whether cancellation of the job was requested
 */
public record SimpleJobContext(JobId jobId, String task, String queue, int attempt, int maxAttempts, Instant enqueuedAt,
		Map<String, String> headers, BooleanSupplier cancellation) implements JobContext {

	@Override
	public boolean isCancellationRequested() {
		return this.cancellation.getAsBoolean();
	}

}
