package io.taskq.retry;

import java.util.List;

import io.taskq.support.DeadJobRecord;
import io.taskq.support.JobJson;
import io.taskq.support.JobMessage;
import io.taskq.support.QueueKeys;
import io.taskq.support.TaskqScript;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Moves a failed job's stream entry, atomically, either to the delayed set as a retry or
 * to the dead letters. One script call each; failures are the slow path, so no batching.
 */
public class FailedJobWriter {

	private static final RedisScript<Long> RETRY = TaskqScript.load(FailedJobWriter.class, "retry.lua", Long.class);

	private static final RedisScript<Long> DEAD_LETTER = TaskqScript.load(FailedJobWriter.class, "dead-letter.lua",
			Long.class);

	private final StringRedisTemplate redis;

	private final String consumer;

	/**
	 * @param consumer the consumer whose failed jobs this writes: only entries still
	 * delivered to it are moved
	 */
	public FailedJobWriter(StringRedisTemplate redis, String consumer) {
		this.redis = redis;
		this.consumer = consumer;
	}

	/**
	 * @return {@code false} if the entry is no longer pending for this consumer (another
	 * consumer took it over)
	 */
	public boolean scheduleRetry(QueueKeys keys, String entryId, JobMessage retried, long dueAt) {
		Long done = this.redis.execute(RETRY, List.of(keys.stream(), keys.delayed(), keys.delayedJobs()),
				QueueKeys.GROUP, entryId, Long.toString(dueAt), retried.id().value(),
				JobJson.writeFields(retried.toFields()), keys.wakeChannel(), this.consumer);
		return done != null && done == 1;
	}

	/**
	 * @return {@code false} if the entry is no longer pending for this consumer (another
	 * consumer took it over)
	 */
	public boolean deadLetter(QueueKeys keys, String entryId, JobMessage job, String reason, @Nullable Throwable error,
			int attempts) {
		DeadJobRecord record = DeadLetterRecords.of(job, reason, error, attempts, System.currentTimeMillis());
		Long done = this.redis.execute(DEAD_LETTER, List.of(keys.stream(), keys.dead(), keys.deadJobs()),
				QueueKeys.GROUP, entryId, job.id().value(), Long.toString(record.failedAt()), JobJson.writeDead(record),
				this.consumer);
		return done != null && done == 1;
	}

}
