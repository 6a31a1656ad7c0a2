package io.taskq.support.redis;

import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A queue's dead letters: moving a failed job's entry there, and sending a dead job back
 * to the stream. One round trip each.
 */
public final class DeadLetterScripts {

	private static final RedisScript<Long> DEAD_LETTER = TaskqScript.load(DeadLetterScripts.class, "dead-letter.lua",
			Long.class);

	private static final RedisScript<Long> RETRY_DEAD = TaskqScript.load(DeadLetterScripts.class, "retry-dead.lua",
			Long.class);

	private final StringRedisTemplate redis;

	public DeadLetterScripts(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * Replaces a failed job's entry, still delivered to this consumer, with its dead
	 * letter (dead-letter.lua).
	 * @return whether it was moved ({@code false}: another consumer holds the entry now)
	 */
	public boolean deadLetter(QueueKeys keys, String consumerName, String entryId, String jobId, DeadJobRecord record) {
		Long done = this.redis.execute(DEAD_LETTER, List.of(keys.stream(), keys.dead(), keys.deadJobs()),
				QueueKeys.GROUP, entryId, jobId, Long.toString(record.failedAt()), JobJson.writeDead(record),
				consumerName);
		return done != null && done == 1;
	}

	/**
	 * Sends a dead job back to the stream as a fresh job (retry-dead.lua).
	 * @return whether there was such a dead job
	 */
	public boolean retryDead(QueueKeys keys, String jobId) {
		Long sent = this.redis.execute(RETRY_DEAD, List.of(keys.dead(), keys.deadJobs(), keys.stream()), jobId);
		return sent != null && sent == 1;
	}

}
