package io.taskq.client;

import java.time.Instant;
import java.util.Map;

import io.taskq.JobId;
import org.jspecify.annotations.Nullable;

/**
 * A job that ran out of attempts or could not run at all.
 *
 * @param id the job id
 * @param queue the queue it died on
 * @param task the task name
 * @param payload the payload JSON, {@code null} if it had none
 * @param reason one line saying why it died
 * @param errorType the exception class name, empty when no exception was involved
 * @param stackTrace the first frames of the stack trace, empty when none
 * @param attempts how many times it ran
 * @param enqueuedAt when it was first enqueued
 * @param failedAt when it died
 * @param headers its headers
 */
public record DeadJob(JobId id, String queue, String task, @Nullable String payload, String reason, String errorType,
		String stackTrace, int attempts, Instant enqueuedAt, Instant failedAt, Map<String, String> headers) {

}
