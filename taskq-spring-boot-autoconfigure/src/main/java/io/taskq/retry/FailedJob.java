package io.taskq.retry;

import java.time.Instant;
import java.util.Map;

import io.taskq.JobId;
import org.jspecify.annotations.Nullable;

/**
 * A job that failed for the last time, as a {@link JobRecoverer} receives it: the same
 * facts a dead letter keeps ({@code io.taskq.client.DeadJob}), so a recoverer can store
 * or forward the job and a dead letter can be replaced without losing anything.
 *
 * @param id the job id
 * @param queue the queue it ran on
 * @param task the task name
 * @param payload the payload as JSON, exactly as enqueued; {@code null} if it had none
 * @param attempts how many times it ran, this failed attempt included
 * @param reason one line saying why it is not retried, as a dead letter would record it
 * @param enqueuedAt when it was first enqueued (retries keep it)
 * @param headers the headers given at enqueue time, never {@code null}
 */
public record FailedJob(JobId id, String queue, String task, @Nullable String payload, int attempts, String reason,
		Instant enqueuedAt, Map<String, String> headers) {

	public FailedJob {
		headers = Map.copyOf(headers);
	}

}
