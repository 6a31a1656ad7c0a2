package io.taskq.test;

import java.time.Instant;
import java.util.Map;

import io.taskq.JobId;
import org.jspecify.annotations.Nullable;

/**
 * A job found in a queue by {@link TestJobQueues}.
 *
 * @param id the job id
 * @param queue the queue
 * @param task the task
 * @param payload the payload as JSON, or {@code null} for none
 * @param headers the job's headers
 * @param retries the retries already scheduled (0 before the first failure)
 * @param dueAt when a delayed job or retry is due, or {@code null} for a ready one
 * @param running whether a worker has taken the job and runs it now
 */
public record QueuedJob(JobId id, String queue, String task, @Nullable String payload, Map<String, String> headers,
		int retries, @Nullable Instant dueAt, boolean running) {

}
