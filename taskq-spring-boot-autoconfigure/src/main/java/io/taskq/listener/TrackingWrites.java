package io.taskq.listener;

import io.taskq.JobState;
import io.taskq.support.redis.JobRecordScripts;
import io.taskq.support.redis.QueueKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Writes what a tracked job leaves behind as it starts and ends: its state and result,
 * the release of its uniqueness lock, concurrency lease and id record. One script call
 * each; only jobs with {@link Tracking} pay for it.
 */
final class TrackingWrites {

	private final QueueKeys keys;

	private final JobRecordScripts scripts;

	private final long ttlMillis;

	private final String consumer;

	/**
	 * @param consumer this instance's consumer: an end that acknowledges an entry is
	 * written only while the entry is still delivered to it
	 */
	TrackingWrites(QueueKeys keys, StringRedisTemplate redis, long ttlMillis, String consumer) {
		this.keys = keys;
		this.scripts = new JobRecordScripts(redis);
		this.ttlMillis = ttlMillis;
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
		this.scripts.settle(this.keys,
				new JobRecordScripts.Settlement(this.consumer, entryId, tracking.jobId(),
						status ? state.wireName() : null, status && state.isFinal(), tracking.attempt(), result, error,
						this.ttlMillis, uniqueKey, releaseLock, leaseKey, releaseLease, dueAt,
						releaseId ? QueueKeys.ID_KEPT_AFTER_END.toMillis() : 0));
	}

}
