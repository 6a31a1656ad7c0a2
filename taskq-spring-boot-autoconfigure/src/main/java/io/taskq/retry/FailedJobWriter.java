package io.taskq.retry;

import io.taskq.support.JobMessage;
import io.taskq.support.redis.DeadJobRecord;
import io.taskq.support.JobObserver;
import io.taskq.support.redis.DeadLetterBounds;
import io.taskq.support.redis.DeadLetterScripts;
import io.taskq.support.redis.DelayedScripts;
import io.taskq.support.redis.JobJson;
import io.taskq.support.redis.QueueKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Moves a failed job's stream entry, atomically, either to the delayed set as a retry or
 * to the dead letters. One script call each; failures are the slow path, so no batching.
 */
public class FailedJobWriter {

	private final DelayedScripts delayed;

	private final DeadLetterScripts deadLetters;

	private final String consumer;

	private final DeadLetterBounds bounds;

	private final JobObserver observer;

	/**
	 * @param consumer the consumer whose failed jobs this writes: only entries still
	 * delivered to it are moved
	 * @param bounds how many dead jobs a queue keeps, and how long
	 * @param observer told how many old dead jobs were removed to keep the bounds
	 */
	public FailedJobWriter(StringRedisTemplate redis, String consumer, DeadLetterBounds bounds, JobObserver observer) {
		this.delayed = new DelayedScripts(redis);
		this.deadLetters = new DeadLetterScripts(redis);
		this.consumer = consumer;
		this.bounds = bounds;
		this.observer = observer;
	}

	/**
	 * @return {@code false} if the entry is no longer pending for this consumer (another
	 * consumer took it over)
	 */
	public boolean scheduleRetry(QueueKeys keys, String entryId, JobMessage retried, long dueAt) {
		return this.delayed.retry(keys, this.consumer, entryId, dueAt, retried.id().value(),
				JobJson.writeFields(retried.toFields()));
	}

	/**
	 * @return {@code false} if the entry is no longer pending for this consumer (another
	 * consumer took it over)
	 */
	public boolean deadLetter(QueueKeys keys, String entryId, JobMessage job, String reason, @Nullable Throwable error,
			int attempts) {
		DeadJobRecord record = DeadLetterRecords.of(job, reason, error, attempts, System.currentTimeMillis());
		long trimmed = this.deadLetters.deadLetter(keys, this.consumer, entryId, job.id().value(), record, this.bounds);
		if (trimmed > 0) {
			this.observer.deadLettersTrimmed(keys.queue(), trimmed);
		}
		return trimmed != DeadLetterScripts.NOT_OWNED;
	}

}
