package io.taskq.test;

import io.taskq.JobId;
import io.taskq.client.JobRequest;
import org.jspecify.annotations.Nullable;

/**
 * A job enqueued in a {@link TaskqTest.Mode#CAPTURE} or {@link TaskqTest.Mode#INLINE}
 * test.
 *
 * @param id the job id (the request's, or a generated one)
 * @param queue the queue it would go to, found as the real client finds it
 * @param task the task
 * @param payload the payload as the JSON written to Redis in production, or {@code null}
 * @param request the whole request: due time, retries, headers and other options
 */
public record CapturedJob(JobId id, String queue, String task, @Nullable String payload, JobRequest request) {

}
