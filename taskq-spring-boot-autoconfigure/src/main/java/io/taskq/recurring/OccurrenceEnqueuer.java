package io.taskq.recurring;

import java.time.Instant;
import java.util.Map;

import io.taskq.support.JobMessage;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.QueueKeys;
import io.taskq.support.redis.RecurringScripts;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Claims and enqueues one occurrence of a recurring job with one atomic script call
 * ({@code fire.lua}): one round trip per occurrence and instance, nothing else.
 */
public class OccurrenceEnqueuer {

	private final RecurringScripts scripts;

	private final KeySpace keys;

	public OccurrenceEnqueuer(StringRedisTemplate redis, KeySpace keys) {
		this.scripts = new RecurringScripts(redis);
		this.keys = keys;
	}

	/**
	 * @param late whether the occurrence is older than the misfire threshold
	 * @throws org.springframework.dao.DataAccessException if Redis fails; calling again
	 * for the same occurrence is safe
	 */
	public FireResult fire(RecurringJob job, Instant occurrence, boolean late) {
		QueueKeys queueKeys = this.keys.queue(job.queue());
		long now = System.currentTimeMillis();
		JobMessage message = new JobMessage(job.jobId(occurrence), job.name(), null, 0, null, now,
				occurrence.toEpochMilli(), Map.of(RecurringJob.OCCURRENCE_HEADER, occurrence.toString()));
		Map<String, String> fields = message.toFields();
		long code = this.scripts.fire(queueKeys, this.keys.recurringJob(job.queue(), job.name()),
				occurrence.toEpochMilli(), late, job.misfire().value(), fields);
		return FireResult.values()[(int) code];
	}

	/**
	 * What a fire call did, in the order of the script's return codes.
	 */
	public enum FireResult {

		/** Another instance (or an earlier call) claimed the occurrence. */
		CLAIMED_EARLIER,

		/** Enqueued on time. */
		ENQUEUED,

		/** Enqueued late, once for every missed occurrence (misfire policy run-once). */
		ENQUEUED_LATE,

		/** Late and dropped (misfire policy skip). */
		SKIPPED,

		/** Recorded, not enqueued: the schedule is paused. */
		PAUSED,

		/** Late for a schedule Redis knew nothing of: recorded as its starting point. */
		STARTED_FRESH

	}

}
