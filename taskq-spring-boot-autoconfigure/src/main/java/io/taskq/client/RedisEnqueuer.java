package io.taskq.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.taskq.JobId;
import io.taskq.support.JobControls;
import io.taskq.support.JobMessage;
import io.taskq.support.redis.EnqueueScripts;
import io.taskq.support.redis.JobJson;
import io.taskq.support.redis.QueueKeys;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Sends prepared jobs to Redis: one script call per job, or per batch of plain jobs of
 * one queue. Every call carries this producer's name and its number on the queue, so a
 * call Lettuce sends again after a reconnect adds nothing (sent.lua, issue 16).
 */
final class RedisEnqueuer {

	private final EnqueueScripts scripts;

	private final long trackingTtlMillis;

	/** This producer's name in the queues' records of calls done. */
	private final String producer = JobId.generate().value();

	private final Map<String, AtomicLong> callsByQueue = new ConcurrentHashMap<>();

	RedisEnqueuer(StringRedisTemplate redis, long trackingTtlMillis) {
		this.scripts = new EnqueueScripts(redis);
		this.trackingTtlMillis = trackingTtlMillis;
	}

	/** A ready job without controls. */
	void ready(PreparedJob job) {
		this.scripts.enqueue(job.keys(), this.producer, nextCall(job.keys()), job.message().toFields());
	}

	/** Ready jobs without controls, all of one queue. */
	void readyBatch(List<PreparedJob> batch) {
		QueueKeys keys = batch.get(0).keys();
		List<Map<String, String>> jobs = new ArrayList<>(batch.size());
		for (PreparedJob job : batch) {
			jobs.add(job.message().toFields());
		}
		this.scripts.enqueueBatch(keys, this.producer, nextCall(keys), jobs);
	}

	/** Delayed jobs without controls, all of one queue. */
	void delayed(List<PreparedJob> batch) {
		QueueKeys keys = batch.get(0).keys();
		List<EnqueueScripts.DelayedJob> jobs = new ArrayList<>(batch.size());
		for (PreparedJob job : batch) {
			jobs.add(new EnqueueScripts.DelayedJob(job.runAt(), job.id().value(),
					JobJson.writeFields(job.message().toFields())));
		}
		this.scripts.schedule(keys, this.producer, nextCall(keys), jobs);
	}

	/** A tracked or unique job, or one with an explicit id. */
	Submitted controlled(PreparedJob job) {
		QueueKeys keys = job.keys();
		JobMessage message = job.message();
		JobControls controls = message.controls();
		EnqueueScripts.Submission submission = new EnqueueScripts.Submission(message.id().value(),
				job.ready() ? 0 : job.runAt(), controls.uniqueKey(), job.lockMillis(), controls.tracked(),
				this.trackingTtlMillis, job.explicitId() ? job.idRecordMillis() : 0, message.toFields());
		List<?> reply = this.scripts.submit(keys, this.producer, nextCall(keys), submission);
		return new Submitted(Submitted.Outcome.valueOf(String.valueOf(reply.get(0)).toUpperCase(Locale.ROOT)),
				JobId.of(String.valueOf(reply.get(1))));
	}

	private long nextCall(QueueKeys keys) {
		return this.callsByQueue.computeIfAbsent(keys.queue(), (queue) -> new AtomicLong()).incrementAndGet();
	}

	/**
	 * What submit.lua did.
	 *
	 * @param outcome what became of the job
	 * @param id this job's id, or for {@link Outcome#OWNER} the id of the job holding the
	 * uniqueness key
	 */
	record Submitted(Outcome outcome, JobId id) {

		enum Outcome {

			/** Added now. */
			ADDED,

			/** Added by an earlier send of this same call. */
			RESENT,

			/** Not added: a job with this explicit id is queued or running. */
			DUPLICATE,

			/** Not added: another job holds the uniqueness key. */
			OWNER

		}

	}

}
