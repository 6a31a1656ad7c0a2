package io.taskq.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.taskq.support.QueueKeys;
import io.taskq.support.TaskqScript;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Slots of concurrency keys, shared by every instance (issue 5): a job with a key runs
 * only while it holds one of the key's slots. A lease lasts one visibility timeout and is
 * extended with the job's claim, so a crashed worker's slots free up as its jobs become
 * reclaimable. Released by the outcome writer when the job ends.
 * <p>
 * Round trips: one script call before each job that has a key; none for other jobs.
 */
final class ConcurrencyLeases {

	private static final Log logger = LogFactory.getLog(ConcurrencyLeases.class);

	private static final RedisScript<Long> ACQUIRE = TaskqScript.load(ConcurrencyLeases.class, "lease-acquire.lua",
			Long.class);

	private static final RedisScript<Long> REFRESH = TaskqScript.load(ConcurrencyLeases.class, "lease-refresh.lua",
			Long.class);

	private final QueueKeys keys;

	private final StringRedisTemplate redis;

	private final long leaseMillis;

	ConcurrencyLeases(QueueKeys keys, StringRedisTemplate redis, long leaseMillis) {
		this.keys = keys;
		this.redis = redis;
		this.leaseMillis = leaseMillis;
	}

	/**
	 * @return whether the job now holds a slot
	 * @throws DataAccessException if Redis does not answer
	 */
	boolean tryAcquire(String concurrencyKey, String jobId, int limit) {
		Long acquired = this.redis.execute(ACQUIRE, List.of(this.keys.lease(concurrencyKey)), jobId,
				Integer.toString(limit), Long.toString(this.leaseMillis));
		return acquired != null && acquired == 1;
	}

	/**
	 * Gives back a job's slot of a concurrency key. A failure is logged: the lease then
	 * lapses by itself within a visibility timeout.
	 */
	void release(String concurrencyKey, String jobId) {
		try {
			this.redis.opsForZSet().remove(this.keys.lease(concurrencyKey), jobId);
		}
		catch (DataAccessException ex) {
			logger.warn("Could not release the slot of concurrency key '" + concurrencyKey + "' held by job " + jobId
					+ " of queue '" + this.keys.queue() + "'; it lapses by itself: " + FailureBackoff.describe(ex));
		}
	}

	/**
	 * Extends the leases of the given jobs. Failures are logged; the next turn retries.
	 */
	void refresh(Map<String, String> leaseKeyByJobId) {
		if (leaseKeyByJobId.isEmpty()) {
			return;
		}
		List<String> leaseKeys = new ArrayList<>(leaseKeyByJobId.size());
		List<Object> args = new ArrayList<>(leaseKeyByJobId.size() + 1);
		args.add(Long.toString(this.leaseMillis));
		leaseKeyByJobId.forEach((jobId, leaseKey) -> {
			leaseKeys.add(this.keys.lease(leaseKey));
			args.add(jobId);
		});
		try {
			this.redis.execute(REFRESH, leaseKeys, args.toArray());
		}
		catch (DataAccessException ex) {
			logger.warn("Could not extend the concurrency leases of " + leaseKeys.size()
					+ " long-running jobs of queue '" + this.keys.queue() + "': " + FailureBackoff.describe(ex));
		}
	}

}
