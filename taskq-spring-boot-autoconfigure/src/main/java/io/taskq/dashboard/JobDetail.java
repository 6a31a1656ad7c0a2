package io.taskq.dashboard;

import java.time.Instant;
import java.util.Map;

import io.taskq.client.JobStatus;
import org.jspecify.annotations.Nullable;

/**
 * One job wherever it is: dead, scheduled, or tracked. Fields that do not apply are
 * {@code null}.
 *
 * @param id the job id
 * @param queue the queue
 * @param task the task, {@code null} when only its tracked state is known
 * @param state {@code DEAD}, {@code SCHEDULED}, {@code RETRYING} or the tracked state
 * @param attempt the attempt made last or next
 * @param headers the job's headers
 * @param reason why it died
 * @param errorType the exception class of its last failure
 * @param stackTrace the first frames of that failure
 * @param enqueuedAt when it was first enqueued
 * @param dueAt when it is due
 * @param failedAt when it died
 * @param payload its payload JSON, {@code null} when hidden or absent
 * @param payloadHidden whether a payload was left out because payloads are not shown
 * @param tracked its tracked status, {@code null} when not tracked
 */
record JobDetail(String id, String queue, @Nullable String task, String state, int attempt, Map<String, String> headers,
		@Nullable String reason, @Nullable String errorType, @Nullable String stackTrace, @Nullable Instant enqueuedAt,
		@Nullable Instant dueAt, @Nullable Instant failedAt, @Nullable String payload, boolean payloadHidden,
		@Nullable Tracked tracked) {

	/**
	 * A tracked job's recorded status, without what the detail says already (its id,
	 * queue and due time).
	 *
	 * @param state the tracked state, such as {@code SUCCEEDED}
	 * @param attempt the attempt made last
	 * @param updatedAt when the state was recorded
	 * @param result the handler's return value as JSON text, {@code null} if none
	 * @param error why the last attempt failed, {@code null} if it did not
	 */
	record Tracked(String state, int attempt, @Nullable Instant updatedAt, @Nullable String result,
			@Nullable String error) {

		static Tracked of(JobStatus status) {
			return new Tracked(status.state().name(), status.attempt(), status.updatedAt(), status.result(),
					status.error());
		}

	}

}
