package io.taskq.listener;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of a queue's jobs whose cancellation was requested, as this instance knows
 * them: from the queue's pub/sub channel as they happen, and from the queue's cancelled
 * set in Redis now and then, in case a message was missed. Checked before every job
 * starts, so a queued job that was cancelled never runs; the check costs no round trip.
 * Entries are forgotten after the retention Redis keeps them for.
 */
final class CancelledJobs {

	private final long retentionMillis;

	/** When each id was learnt, epoch millis. */
	private final Map<String, Long> ids = new ConcurrentHashMap<>();

	private long nextPrune;

	CancelledJobs(long retentionMillis) {
		this.retentionMillis = retentionMillis;
	}

	void add(String jobId) {
		long now = System.currentTimeMillis();
		this.ids.put(jobId, now);
		pruneIfDue(now);
	}

	void addAll(Collection<String> jobIds) {
		long now = System.currentTimeMillis();
		jobIds.forEach((id) -> this.ids.putIfAbsent(id, now));
		pruneIfDue(now);
	}

	boolean contains(String jobId) {
		return !this.ids.isEmpty() && this.ids.containsKey(jobId);
	}

	private void pruneIfDue(long now) {
		if (now >= this.nextPrune) {
			this.nextPrune = now + 60_000;
			this.ids.values().removeIf((learnt) -> now - learnt > this.retentionMillis);
		}
	}

}
