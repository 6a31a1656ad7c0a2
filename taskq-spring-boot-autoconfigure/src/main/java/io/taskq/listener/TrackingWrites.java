package io.taskq.listener;

import java.util.List;

import io.taskq.JobState;
import io.taskq.support.QueueKeys;
import io.taskq.support.TaskqScript;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Writes what a tracked job leaves behind as it starts and ends: its state and result,
 * the release of its uniqueness lock, concurrency lease and id record. One script call
 * each; only jobs with {@link Tracking} pay for it.
 */
final class TrackingWrites {

	private static final RedisScript<Long> SETTLE = TaskqScript.load(TrackingWrites.class, "settle.lua", Long.class);

	private final QueueKeys keys;

	private final StringRedisTemplate redis;

	private final String ttlMillis;

	private final String consumer;

	/**
	 * @param consumer this instance's consumer: an end that acknowledges an entry is
	 * written only while the entry is still delivered to it
	 */
	TrackingWrites(QueueKeys keys, StringRedisTemplate redis, long ttlMillis, String consumer) {
		this.keys = keys;
		this.redis = redis;
		this.ttlMillis = Long.toString(ttlMillis);
		this.consumer = consumer;
	}

	void started(Tracking tracking) {
		write(null, tracking, tracking.status() ? JobState.RUNNING : null, null, null, null,
				tracking.uniqueUntilStarted(), false);
	}

	/** Acknowledges the entry too, in the same atomic call. */
	void succeeded(String entryId, Tracking tracking, @Nullable String result) {
		write(entryId, tracking, JobState.SUCCEEDED, result, null, null, true, true);
	}

	/** Acknowledges the entry too, in the same atomic call. */
	void cancelled(String entryId, Tracking tracking) {
		write(entryId, tracking, JobState.CANCELLED, null, null, null, true, true);
	}

	/** After the retry is scheduled: the lock stays, the job is still to run. */
	void retrying(Tracking tracking, String error, long dueAt) {
		write(null, tracking, JobState.RETRYING, null, error, dueAt, false, true);
	}

	/** After the job is dead-lettered. */
	void dead(Tracking tracking, String reason) {
		write(null, tracking, JobState.DEAD, null, reason, null, true, true);
	}

	private void write(@Nullable String entryId, Tracking tracking, @Nullable JobState state, @Nullable String result,
			@Nullable String error, @Nullable Long dueAt, boolean releaseLock, boolean releaseLease) {
		String uniqueKey = tracking.uniqueKey();
		String leaseKey = tracking.leaseKey();
		boolean status = tracking.status() && state != null;
		// The id record goes a while after the job ends, never on start.
		boolean releaseId = tracking.idRecorded() && state != null && state.isFinal();
		this.redis.execute(SETTLE,
				List.of(this.keys.stream(), this.keys.job(tracking.jobId()),
						this.keys.unique((uniqueKey != null) ? uniqueKey : ""),
						this.keys.lease((leaseKey != null) ? leaseKey : ""), this.keys.id(tracking.jobId())),
				QueueKeys.GROUP, (entryId != null) ? entryId : "", tracking.jobId(), status ? state.wireName() : "",
				Integer.toString(tracking.attempt()), (result != null) ? result : "", (error != null) ? error : "",
				this.ttlMillis, (releaseLock && uniqueKey != null) ? "1" : "0",
				(releaseLease && leaseKey != null) ? "1" : "0",
				(status && state.isFinal()) ? this.keys.doneChannel() : "", (dueAt != null) ? dueAt.toString() : "",
				Long.toString(System.currentTimeMillis()),
				releaseId ? Long.toString(QueueKeys.ID_KEPT_AFTER_END.toMillis()) : "", this.consumer);
	}

}
