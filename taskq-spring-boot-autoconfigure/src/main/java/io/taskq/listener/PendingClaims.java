package io.taskq.listener;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.taskq.retry.OutageBackoff;
import io.taskq.support.redis.JobFields;
import io.taskq.support.redis.QueueKeys;
import io.taskq.support.redis.StreamScripts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * This consumer's side of the pending entries list of one queue: taking over jobs that a
 * dead consumer left pending (XPENDING IDLE and XCLAIM, resuming from a cursor), keeping
 * the claim of jobs running here fresh so nobody takes them over, and leaving the group
 * cleanly.
 * <p>
 * Reclaiming is the fetcher's (and, once it has ended, the stopping thread's); renewing
 * claims is the {@link ClaimKeeper}'s, on a thread of its own.
 */
final class PendingClaims {

	private static final Log logger = LogFactory.getLog(PendingClaims.class);

	private static final String START = "0-0";

	private final QueueKeys keys;

	private final ListenerOptions options;

	private final StreamScripts streams;

	private final ConcurrencyLeases leases;

	private String cursor = START;

	private long nextReclaim;

	/** Whether the last scan left a suspect because one already ran here. */
	private volatile boolean suspectWaiting;

	/** Whether a suspect ended here, so the next scan starts from the beginning. */
	private volatile boolean rescanRequested;

	/** Whether renewing claims failed last time; read and written by the keeper only. */
	private boolean refreshFailing;

	PendingClaims(QueueKeys keys, ListenerOptions options, StringRedisTemplate redis, ConcurrencyLeases leases) {
		this.keys = keys;
		this.options = options;
		this.streams = new StreamScripts(redis);
		this.leases = leases;
		this.nextReclaim = System.currentTimeMillis();
	}

	/**
	 * Claims up to {@code permits} jobs idle longer than the visibility timeout, if a
	 * scan is due. Entries held here are left alone (see reclaim.lua), and a suspect (a
	 * job delivered twice or more without finishing) is claimed only while no other
	 * suspect runs here.
	 * @param held the jobs this instance holds, by entry id
	 */
	List<ClaimedEntry> reclaimIfDue(int permits, Map<String, Execution> held) {
		long now = System.currentTimeMillis();
		if (this.rescanRequested) {
			this.rescanRequested = false;
			this.cursor = START;
			this.nextReclaim = now;
		}
		if (now < this.nextReclaim) {
			return List.of();
		}
		boolean suspectRunning = held.values().stream().anyMatch(Execution::isSuspectRunning);
		List<?> result = this.streams.reclaim(this.keys, this.options.consumerName(),
				this.options.visibilityTimeout().toMillis(), permits, this.cursor, !suspectRunning, held.keySet());
		this.cursor = (String) result.get(0);
		// Until the scan wraps around, keep going on the next turn: more may be waiting.
		this.nextReclaim = START.equals(this.cursor) ? now + this.options.reclaimInterval().toMillis() : now;
		// A suspect left for later is taken once the one running here ends.
		this.suspectWaiting = ((Number) result.get(2)).longValue() == 1;
		List<?> removed = (List<?>) result.get(3);
		if (!removed.isEmpty()) {
			logger.info("Removed consumers " + removed + " from the group of queue '" + this.keys.queue()
					+ "': they held no job and were not seen for twice the visibility timeout");
		}
		List<ClaimedEntry> claimed = new ArrayList<>();
		for (Object item : (List<?>) result.get(1)) {
			List<?> entry = (List<?>) item;
			ClaimedEntry claimedEntry = new ClaimedEntry((String) entry.get(0), toMap((List<?>) entry.get(1)),
					((Number) entry.get(2)).longValue());
			logger.info("Reclaimed job " + claimedEntry.fields().get(JobFields.ID) + " ("
					+ claimedEntry.fields().get(JobFields.TASK) + " on queue '" + this.keys.queue()
					+ "') from a consumer that left it pending; delivery " + claimedEntry.deliveries()
					+ (claimedEntry.isSuspect()
							? ": every consumer that took it before died, so it runs apart from other such jobs" : ""));
			claimed.add(claimedEntry);
		}
		return claimed;
	}

	/**
	 * A suspect that ran here has ended: if another waits, scan again from the start on
	 * the next fetch turn. Called by whichever thread ends the run.
	 */
	void suspectEnded() {
		if (this.suspectWaiting) {
			this.rescanRequested = true;
		}
	}

	/**
	 * Renews the claim (and concurrency lease) of the jobs held here whose claim is older
	 * than half the refresh interval: jobs fetched a moment ago need none. Runs on the
	 * {@link ClaimKeeper}'s thread. A failure is logged once, until a renewal succeeds
	 * again; the next turn retries.
	 * @param held the jobs this instance holds, by entry id
	 */
	void refresh(Map<String, Execution> held) {
		long now = System.currentTimeMillis();
		long threshold = this.options.claimRefreshInterval().toMillis() / 2;
		List<Execution> claims = new ArrayList<>();
		Map<String, String> leaseKeys = new LinkedHashMap<>();
		for (Execution execution : held.values()) {
			if (now - execution.claimedAt() < threshold) {
				continue;
			}
			String jobId = execution.jobId();
			String leaseKey = execution.leaseKey();
			if (jobId != null && leaseKey != null) {
				leaseKeys.put(jobId, leaseKey);
			}
			if (execution.needsClaim()) {
				claims.add(execution);
			}
			else if (leaseKey != null) {
				execution.claimRenewed(now);
			}
		}
		this.leases.refresh(leaseKeys);
		if (!claims.isEmpty()) {
			touch(claims, now);
		}
	}

	private void touch(List<Execution> claims, long now) {
		List<String> entryIds = new ArrayList<>(claims.size());
		claims.forEach((execution) -> entryIds.add(execution.entryId()));
		List<?> lost;
		try {
			lost = this.streams.touch(this.keys, this.options.consumerName(), entryIds);
		}
		catch (DataAccessException ex) {
			if (!this.refreshFailing) {
				this.refreshFailing = true;
				logger.warn("Could not renew the claim of " + claims.size() + " jobs of queue '" + this.keys.queue()
						+ "'; retrying every " + this.options.claimRefreshInterval().toMillis()
						+ " ms, a claim lapses only after " + this.options.visibilityTimeout().toMillis()
						+ " ms without renewal: " + OutageBackoff.describe(ex));
			}
			return;
		}
		if (this.refreshFailing) {
			this.refreshFailing = false;
			logger.info("Renewing the claims of jobs of queue '" + this.keys.queue() + "' recovered");
		}
		Set<Object> lostIds = (lost != null) ? new HashSet<>(lost) : Set.of();
		for (Execution execution : claims) {
			if (lostIds.contains(execution.entryId())) {
				markLost(execution);
			}
			else {
				execution.claimRenewed(now);
			}
		}
	}

	/**
	 * An entry held here that another consumer took over after a long pause (its outcome
	 * here is then not written: the settle scripts check the owner).
	 */
	private void markLost(Execution execution) {
		if (execution.needsClaim()) {
			execution.claimLost();
			logger.warn("Job " + execution.jobId() + " of queue '" + this.keys.queue() + "' (entry "
					+ execution.entryId() + ") is no longer held by this instance: its claim lapsed and another"
					+ " consumer took it over; that consumer settles it");
		}
	}

	/** Leaves the consumer group if this consumer holds no pending job. */
	void releaseConsumer() {
		try {
			this.streams.releaseConsumer(this.keys, this.options.consumerName());
		}
		catch (DataAccessException ex) {
			logger.debug("Could not remove consumer '" + this.options.consumerName() + "' from queue '"
					+ this.keys.queue() + "'", ex);
		}
	}

	private static Map<String, String> toMap(List<?> flat) {
		Map<String, String> map = new LinkedHashMap<>(flat.size());
		for (int i = 0; i + 1 < flat.size(); i += 2) {
			map.put((String) flat.get(i), (String) flat.get(i + 1));
		}
		return map;
	}

	/**
	 * A job taken over from another consumer.
	 *
	 * @param deliveries its delivery count, this one included
	 */
	record ClaimedEntry(String entryId, Map<String, String> fields, long deliveries) {

		/** Whether every consumer that took it before died holding it, twice or more. */
		boolean isSuspect() {
			return this.deliveries > 2;
		}

	}

}
