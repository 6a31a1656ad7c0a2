package io.taskq.listener;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.taskq.support.QueueKeys;
import io.taskq.support.TaskqScript;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * This consumer's side of the pending entries list of one queue: taking over jobs that a
 * dead consumer left pending (XAUTOCLAIM, resuming from a cursor), keeping the claim of
 * jobs running here fresh so nobody takes them over, and leaving the group cleanly.
 * <p>
 * Not thread-safe: the fetcher thread uses it, and the stopping thread once the fetcher
 * has ended.
 */
final class PendingClaims {

	private static final Log logger = LogFactory.getLog(PendingClaims.class);

	private static final RedisScript<List> RECLAIM = TaskqScript.load(PendingClaims.class, "reclaim.lua", List.class);

	private static final RedisScript<Long> TOUCH = TaskqScript.load(PendingClaims.class, "touch.lua", Long.class);

	private static final RedisScript<Long> RELEASE = TaskqScript.load(PendingClaims.class, "release-consumer.lua",
			Long.class);

	private static final String START = "0-0";

	private final QueueKeys keys;

	private final ListenerOptions options;

	private final StringRedisTemplate redis;

	private final ConcurrencyLeases leases;

	private String cursor = START;

	private long nextReclaim;

	private long nextRefresh;

	PendingClaims(QueueKeys keys, ListenerOptions options, StringRedisTemplate redis, ConcurrencyLeases leases) {
		this.keys = keys;
		this.options = options;
		this.redis = redis;
		this.leases = leases;
		this.nextReclaim = System.currentTimeMillis();
		this.nextRefresh = this.nextReclaim + options.claimRefreshInterval().toMillis();
	}

	/**
	 * Claims up to {@code permits} jobs idle longer than the visibility timeout, if a
	 * scan is due. Entries already running here (or awaiting their outcome's write) are
	 * claimed too, which only renews them, but not handed out again.
	 * @param alreadyHere whether an entry id is being handled by this instance
	 */
	List<ClaimedEntry> reclaimIfDue(int permits, Predicate<String> alreadyHere) {
		long now = System.currentTimeMillis();
		if (now < this.nextReclaim) {
			return List.of();
		}
		List<?> result = this.redis.execute(RECLAIM, List.of(this.keys.stream()), QueueKeys.GROUP,
				this.options.consumerName(), Long.toString(this.options.visibilityTimeout().toMillis()),
				Integer.toString(permits), this.cursor);
		this.cursor = (String) result.get(0);
		// Until the scan wraps around, keep going on the next turn: more may be waiting.
		this.nextReclaim = START.equals(this.cursor) ? now + this.options.reclaimInterval().toMillis() : now;
		List<ClaimedEntry> claimed = new ArrayList<>();
		for (Object item : (List<?>) result.get(1)) {
			List<?> entry = (List<?>) item;
			String entryId = (String) entry.get(0);
			if (alreadyHere.test(entryId)) {
				continue;
			}
			ClaimedEntry claimedEntry = new ClaimedEntry(entryId, toMap((List<?>) entry.get(1)),
					((Number) entry.get(2)).longValue());
			logger.info("Reclaimed job " + claimedEntry.fields().get("id") + " (" + claimedEntry.fields().get("task")
					+ " on queue '" + this.keys.queue() + "') from a consumer that left it pending; delivery "
					+ claimedEntry.deliveries());
			claimed.add(claimedEntry);
		}
		return claimed;
	}

	/**
	 * Refreshes the claim (and concurrency lease) of jobs that have run here for a while,
	 * if a refresh is due.
	 * @param running the jobs running here by entry id
	 */
	void refreshIfDue(Map<String, Execution> running) {
		long now = System.currentTimeMillis();
		if (now >= this.nextRefresh) {
			refresh(running);
		}
	}

	/**
	 * Refreshes now. A failure is logged and retried at the next interval: two misses in
	 * a row are needed before a claim can be lost.
	 */
	void refresh(Map<String, Execution> running) {
		long now = System.currentTimeMillis();
		long interval = this.options.claimRefreshInterval().toMillis();
		this.nextRefresh = now + interval;
		List<Object> args = new ArrayList<>();
		args.add(QueueKeys.GROUP);
		args.add(this.options.consumerName());
		Map<String, String> leaseKeys = new LinkedHashMap<>();
		running.forEach((entryId, execution) -> {
			if (now - execution.startedAt() >= interval) {
				args.add(entryId);
				String jobId = execution.jobId();
				String leaseKey = execution.leaseKey();
				if (jobId != null && leaseKey != null) {
					leaseKeys.put(jobId, leaseKey);
				}
			}
		});
		this.leases.refresh(leaseKeys);
		if (args.size() == 2) {
			return;
		}
		try {
			this.redis.execute(TOUCH, List.of(this.keys.stream()), args.toArray());
		}
		catch (DataAccessException ex) {
			logger.warn("Could not refresh the claim of " + (args.size() - 2) + " long-running jobs of queue '"
					+ this.keys.queue() + "': " + FailureBackoff.describe(ex));
		}
	}

	/** Leaves the consumer group if this consumer holds no pending job. */
	void releaseConsumer() {
		try {
			this.redis.execute(RELEASE, List.of(this.keys.stream()), QueueKeys.GROUP, this.options.consumerName());
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
	 */
	record ClaimedEntry(String entryId, Map<String, String> fields, long deliveries) {
	}

}
