package io.taskq.listener;

import java.util.Map;

import io.taskq.retry.OutageBackoff;
import io.taskq.support.redis.ControlScripts;
import io.taskq.support.redis.QueueKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

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

	private final QueueKeys keys;

	private final ControlScripts scripts;

	private final long leaseMillis;

	ConcurrencyLeases(QueueKeys keys, StringRedisTemplate redis, long leaseMillis) {
		this.keys = keys;
		this.scripts = new ControlScripts(redis);
		this.leaseMillis = leaseMillis;
	}

	/**
	 * @return whether the job now holds a slot
	 * @throws DataAccessException if Redis does not answer
	 */
	boolean tryAcquire(String concurrencyKey, String jobId, int limit) {
		return this.scripts.acquireLease(this.keys, concurrencyKey, jobId, limit, this.leaseMillis);
	}

	/**
	 * Gives back a job's slot of a concurrency key. A failure is logged: the lease then
	 * lapses by itself within a visibility timeout.
	 */
	void release(String concurrencyKey, String jobId) {
		try {
			this.scripts.releaseLease(this.keys, concurrencyKey, jobId);
		}
		catch (DataAccessException ex) {
			logger.warn("Could not release the slot of concurrency key '" + concurrencyKey + "' held by job " + jobId
					+ " of queue '" + this.keys.queue() + "'; it lapses by itself: " + OutageBackoff.describe(ex));
		}
	}

	/**
	 * Extends the leases of the given jobs. Failures are logged; the next turn retries.
	 */
	void refresh(Map<String, String> leaseKeyByJobId) {
		if (leaseKeyByJobId.isEmpty()) {
			return;
		}
		try {
			this.scripts.refreshLeases(this.keys, leaseKeyByJobId, this.leaseMillis);
		}
		catch (DataAccessException ex) {
			logger.warn("Could not extend the concurrency leases of " + leaseKeyByJobId.size()
					+ " long-running jobs of queue '" + this.keys.queue() + "': " + OutageBackoff.describe(ex));
		}
	}

}
