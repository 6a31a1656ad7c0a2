package io.taskq.listener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of a queue's jobs whose cancellation was requested, as this instance knows
 * them: from the queue's pub/sub channel as they happen, and from the queue's cancelled
 * set in Redis now and then, in case a message was missed. Checked before every job
 * starts, so a queued job that was cancelled never runs; the check costs no round trip.
 * Entries are forgotten after the retention Redis keeps them for.
 * <p>
 * A request applies only to entries that existed when it was made, give or take
 * {@link #CLOCK_SKEW_MILLIS}: a later job that reuses the id (an explicit id, a retried
 * dead letter) runs.
 */
final class CancelledJobs {

	/**
	 * Tolerance between the requester's clock and Redis's, whose entry ids carry time.
	 */
	static final long CLOCK_SKEW_MILLIS = 5000;

	private final long retentionMillis;

	/** When each id's cancellation was requested, epoch millis. */
	private final Map<String, Long> ids = new ConcurrentHashMap<>();

	private long nextPrune;

	CancelledJobs(long retentionMillis) {
		this.retentionMillis = retentionMillis;
	}

	/**
	 * @return whether the request is news to this instance
	 */
	boolean add(String jobId, long requestedAt) {
		long now = System.currentTimeMillis();
		pruneIfDue(now);
		Long known = this.ids.putIfAbsent(jobId, requestedAt);
		if (known != null && known < requestedAt) {
			this.ids.put(jobId, requestedAt);
			return true;
		}
		return known == null;
	}

	/**
	 * Whether a stream entry of the job is cancelled.
	 * @param readyAt when the entry was added (its id's time), epoch millis
	 */
	boolean isCancelled(String jobId, long readyAt) {
		if (this.ids.isEmpty()) {
			return false;
		}
		Long requestedAt = this.ids.get(jobId);
		return requestedAt != null && readyAt <= requestedAt + CLOCK_SKEW_MILLIS;
	}

	private void pruneIfDue(long now) {
		if (now >= this.nextPrune) {
			this.nextPrune = now + 60_000;
			this.ids.values().removeIf((learnt) -> now - learnt > this.retentionMillis);
		}
	}

}
