package io.taskq.client;

import java.time.Instant;

import io.taskq.JobId;
import io.taskq.JobState;
import org.jspecify.annotations.Nullable;

/**
 * What Redis records about a tracked job.
 *
 * @param id the job id
 * @param queue the queue
 * @param state the state; {@link JobState#UNKNOWN} when nothing is recorded
 * @param attempt the attempt last started or finished, 0 before the first
 * @param updatedAt when the state last changed, or {@code null} when unknown
 * @param dueAt when a scheduled or retrying job runs next, or {@code null}
 * @param error the last failure, or {@code null}
 * @param result the handler's return value as JSON, or {@code null}
 */
public record JobStatus(JobId id, String queue, JobState state, int attempt, @Nullable Instant updatedAt,
		@Nullable Instant dueAt, @Nullable String error, @Nullable String result) {

	static JobStatus unknown(JobId id, String queue) {
		return new JobStatus(id, queue, JobState.UNKNOWN, 0, null, null, null, null);
	}

}
