package io.taskq.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.taskq.JobId;
import io.taskq.JobState;
import io.taskq.support.JobControls;
import io.taskq.support.JobMessage;
import io.taskq.support.redis.JobJson;
import io.taskq.support.redis.JobRecordScripts;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.QueueKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reads tracked jobs' recorded states and cancels jobs (issue 5). One round trip each;
 * cancelling a waiting unique job adds one to release its lock, and one with an explicit
 * id one to shorten its id record's life.
 */
final class JobRecords {

	private final StringRedisTemplate redis;

	private final JobRecordScripts scripts;

	private final KeySpace keys;

	private final long retentionMillis;

	JobRecords(StringRedisTemplate redis, KeySpace keys, long retentionMillis) {
		this.redis = redis;
		this.scripts = new JobRecordScripts(redis);
		this.keys = keys;
		this.retentionMillis = retentionMillis;
	}

	CancelResult cancel(String queue, JobId id) {
		QueueKeys queueKeys = this.keys.queue(queue);
		List<?> result = this.scripts.cancel(queueKeys, id.value(), this.retentionMillis);
		if (((Number) result.get(0)).longValue() != 1) {
			return CancelResult.REQUESTED;
		}
		String body = (String) result.get(1);
		JobControls controls = (body.isEmpty()) ? JobControls.NONE
				: JobMessage.fromFields(JobJson.readFields(body)).controls();
		if (controls.uniqueKey() != null) {
			this.scripts.unlock(queueKeys, controls.uniqueKey(), id.value());
		}
		if (controls.idRecorded()) {
			this.redis.expire(queueKeys.id(id.value()), QueueKeys.ID_KEPT_AFTER_END);
		}
		return CancelResult.CANCELLED;
	}

	JobStatus status(String queue, JobId id) {
		Map<Object, Object> record = this.redis.opsForHash().entries(this.keys.queue(queue).job(id.value()));
		if (record.isEmpty()) {
			return JobStatus.unknown(id, queue);
		}
		JobState state = JobState.fromWireName(text(record, "state"));
		Instant dueAt = instant(record, "due");
		if (state == JobState.SCHEDULED && dueAt != null && !dueAt.isAfter(Instant.now())) {
			// Promoted the moment it was due; the record is not rewritten for it.
			state = JobState.QUEUED;
		}
		String attempt = text(record, "attempt");
		return new JobStatus(id, queue, state, (attempt != null) ? Integer.parseInt(attempt) : 0,
				instant(record, "updated"), dueAt, text(record, "error"), text(record, "result"));
	}

	private static @Nullable String text(Map<Object, Object> record, String field) {
		Object value = record.get(field);
		return (value != null) ? value.toString() : null;
	}

	private static @Nullable Instant instant(Map<Object, Object> record, String field) {
		String value = text(record, field);
		return (value != null) ? Instant.ofEpochMilli(Long.parseLong(value)) : null;
	}

}
