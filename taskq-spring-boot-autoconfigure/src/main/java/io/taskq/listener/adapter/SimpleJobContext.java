package io.taskq.listener.adapter;

import java.time.Instant;
import java.util.Map;

import io.taskq.JobContext;
import io.taskq.JobId;

/**
 * The {@link JobContext} handed to handlers.
 */
public record SimpleJobContext(JobId jobId, String task, String queue, int attempt, int maxAttempts, Instant enqueuedAt,
		Map<String, String> headers) implements JobContext {

}
