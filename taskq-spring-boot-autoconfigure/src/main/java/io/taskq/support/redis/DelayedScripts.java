package io.taskq.support.redis;

import java.util.ArrayList;
import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A queue's delayed set: promoting due jobs into the stream, and moving a failed job's
 * entry there as a retry. One round trip each.
 */
@SuppressWarnings("rawtypes")
public final class DelayedScripts {

	private static final RedisScript<List> PROMOTE = TaskqScript.load(DelayedScripts.class, "promote.lua", List.class);

	private static final RedisScript<Long> RUN_NOW = TaskqScript.load(DelayedScripts.class, "run-now.lua", Long.class);

	private static final RedisScript<Long> RETRY = TaskqScript.load(DelayedScripts.class, "retry.lua", Long.class);

	private final StringRedisTemplate redis;

	public DelayedScripts(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * Moves up to {@code batch} due jobs into the stream (promote.lua).
	 * @return the jobs promoted, the next due time (0 for none) and the server's time
	 */
	public List<?> promote(QueueKeys keys, int batch) {
		return this.redis.execute(PROMOTE, List.of(keys.delayed(), keys.delayedJobs(), keys.stream()),
				Integer.toString(batch), QueueKeys.GROUP);
	}

	/**
	 * Replaces a failed job's entry, still delivered to this consumer, with a retry due
	 * later (retry.lua).
	 * @param retriedJson the retried job's fields as JSON
	 * @return whether it was moved ({@code false}: another consumer holds the entry now)
	 */
	public boolean retry(QueueKeys keys, String consumerName, String entryId, long dueAt, String jobId,
			String retriedJson) {
		Long done = this.redis.execute(RETRY, List.of(keys.stream(), keys.delayed(), keys.delayedJobs()),
				QueueKeys.GROUP, entryId, Long.toString(dueAt), jobId, retriedJson, keys.wakeChannel(), consumerName);
		return done != null && done == 1;
	}

	/**
	 * Makes scheduled jobs due now and wakes the promoters (run-now.lua).
	 * @return how many of them were scheduled
	 */
	public long runNow(QueueKeys keys, List<String> jobIds) {
		if (jobIds.isEmpty()) {
			return 0;
		}
		List<String> args = new ArrayList<>(jobIds.size() + 1);
		args.add(keys.wakeChannel());
		args.addAll(jobIds);
		Long moved = this.redis.execute(RUN_NOW, List.of(keys.delayed()), args.toArray(Object[]::new));
		return (moved != null) ? moved : 0;
	}

}
