package io.taskq.support.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * What coordinates instances beside the jobs themselves: a queue's pause flag and
 * cancellations, concurrency leases, and the registry of handled tasks. One round trip
 * each.
 */
@SuppressWarnings("rawtypes")
public final class ControlScripts {

	private static final RedisScript<List> CONTROLS = TaskqScript.load(ControlScripts.class, "controls.lua",
			List.class);

	private static final RedisScript<Long> LEASE_ACQUIRE = TaskqScript.load(ControlScripts.class, "lease-acquire.lua",
			Long.class);

	private static final RedisScript<Long> LEASE_REFRESH = TaskqScript.load(ControlScripts.class, "lease-refresh.lua",
			Long.class);

	private static final RedisScript<Long> HANDLERS_ANNOUNCE = TaskqScript.load(ControlScripts.class,
			"handlers-announce.lua", Long.class);

	private static final RedisScript<List> HANDLERS_READ = TaskqScript.load(ControlScripts.class, "handlers-read.lua",
			List.class);

	private final StringRedisTemplate redis;

	public ControlScripts(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * Reads a queue's pause flag and the cancellations requested since a time
	 * (controls.lua).
	 * @return 1 if paused, else 0, then job ids and request times, alternating
	 */
	public List<?> controls(QueueKeys keys, long cancelledSince) {
		return this.redis.execute(CONTROLS, List.of(keys.paused(), keys.cancelled()), Long.toString(cancelledSince));
	}

	/**
	 * Takes a slot of a concurrency key if one is free (lease-acquire.lua).
	 * @return whether the job holds a slot now
	 */
	public boolean acquireLease(QueueKeys keys, String concurrencyKey, String jobId, int limit, long leaseMillis) {
		Long acquired = this.redis.execute(LEASE_ACQUIRE, List.of(keys.lease(concurrencyKey)), jobId,
				Integer.toString(limit), Long.toString(leaseMillis));
		return acquired != null && acquired == 1;
	}

	/**
	 * Extends the leases of running jobs (lease-refresh.lua).
	 * @param concurrencyKeyByJobId each job's concurrency key
	 */
	public void refreshLeases(QueueKeys keys, Map<String, String> concurrencyKeyByJobId, long leaseMillis) {
		List<String> leaseKeys = new ArrayList<>(concurrencyKeyByJobId.size());
		List<Object> args = new ArrayList<>(concurrencyKeyByJobId.size() + 1);
		args.add(Long.toString(leaseMillis));
		concurrencyKeyByJobId.forEach((jobId, concurrencyKey) -> {
			leaseKeys.add(keys.lease(concurrencyKey));
			args.add(jobId);
		});
		this.redis.execute(LEASE_REFRESH, leaseKeys, args.toArray());
	}

	/** Releases a job's slot of a concurrency key. */
	public void releaseLease(QueueKeys keys, String concurrencyKey, String jobId) {
		this.redis.opsForZSet().remove(keys.lease(concurrencyKey), jobId);
	}

	/**
	 * Says that a consumer handles the given tasks of a queue (handlers-announce.lua).
	 * @param keptMillis how long an entry is kept without a write
	 */
	public void announceHandlers(QueueKeys keys, String consumerName, long keptMillis, Collection<String> tasks) {
		List<Object> args = new ArrayList<>(tasks.size() + 2);
		args.add(consumerName);
		args.add(Long.toString(keptMillis));
		args.addAll(tasks);
		this.redis.execute(HANDLERS_ANNOUNCE, List.of(keys.handlers()), args.toArray());
	}

	/**
	 * Reads which tasks instances handle on a queue (handlers-read.lua).
	 * @return the server's time, then tasks and their entries, alternating
	 */
	public List<?> readHandlers(QueueKeys keys) {
		return this.redis.execute(HANDLERS_READ, List.of(keys.handlers()));
	}

}
