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

	private static final RedisScript<Long> DELETE_DEAD = TaskqScript.load(DeadLetterScripts.class, "delete-dead.lua",
			Long.class);

	private static final RedisScript<Long> RETRY_DEAD = TaskqScript.load(DeadLetterScripts.class, "retry-dead.lua",
			Long.class);

	/** What {@link #deadLetter} answers when the entry is no longer this consumer's. */
	public static final long NOT_OWNED = -1;

	private final StringRedisTemplate redis;

	public DeadLetterScripts(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * Replaces a failed job's entry, still delivered to this consumer, with its dead
	 * letter, and removes dead jobs beyond the bounds (dead-letter.lua).
	 * @return {@link #NOT_OWNED} when another consumer holds the entry now, else how many
	 * older dead jobs were removed to keep the bounds
	 */
	public long deadLetter(QueueKeys keys, String consumerName, String entryId, String jobId, DeadJobRecord record,
			DeadLetterBounds bounds) {
		String task = record.job().getOrDefault(JobFields.TASK, "");
		Long done = this.redis.execute(DEAD_LETTER,
				List.of(keys.stream(), keys.dead(), keys.deadJobs(), keys.deadByTask(task)), QueueKeys.GROUP, entryId,
				jobId, Long.toString(record.failedAt()), JobJson.writeDead(record), consumerName,
				Integer.toString(bounds.maxCount()), Long.toString(bounds.maxAge().toMillis()));
		return (done != null) ? done : NOT_OWNED;
	}

	/**
	 * Deletes dead jobs for good (delete-dead.lua).
	 * @return how many of them were dead jobs
	 */
	public long delete(QueueKeys keys, List<String> jobIds) {
		if (jobIds.isEmpty()) {
			return 0;
		}
		Long deleted = this.redis.execute(DELETE_DEAD, List.of(keys.dead(), keys.deadJobs()),
				jobIds.toArray(Object[]::new));
		return (deleted != null) ? deleted : 0;
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
