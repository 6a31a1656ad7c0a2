package io.taskq.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.taskq.JobId;
import io.taskq.support.JobControls;
import io.taskq.support.JobJson;
import io.taskq.support.JobMessage;
import io.taskq.support.QueueKeys;
import io.taskq.support.TaskqScript;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Sends prepared jobs to Redis: one script call per job, or per batch of plain jobs of
 * one queue. Every call carries this producer's name and its number on the queue, so a
 * call Lettuce sends again after a reconnect adds nothing (sent.lua, issue 16).
 */
final class RedisEnqueuer {

	private static final String SENT = "sent.lua";

	private static final RedisScript<Long> ENQUEUE = TaskqScript.load(RedisEnqueuer.class, "enqueue.lua", Long.class,
			SENT);

	private static final RedisScript<Long> ENQUEUE_BATCH = TaskqScript.load(RedisEnqueuer.class, "enqueue-batch.lua",
			Long.class, SENT);

	private static final RedisScript<Long> SCHEDULE = TaskqScript.load(RedisEnqueuer.class, "schedule.lua", Long.class,
			SENT);

	private static final RedisScript<List> SUBMIT = TaskqScript.load(RedisEnqueuer.class, "submit.lua", List.class,
			SENT);

	private final StringRedisTemplate redis;

	private final long trackingTtlMillis;

	/** This producer's name in the queues' records of calls done. */
	private final String producer = JobId.generate().value();

	private final Map<String, AtomicLong> callsByQueue = new ConcurrentHashMap<>();

	RedisEnqueuer(StringRedisTemplate redis, long trackingTtlMillis) {
		this.redis = redis;
		this.trackingTtlMillis = trackingTtlMillis;
	}

	/** A ready job without controls. */
	void ready(PreparedJob job) {
		Map<String, String> fields = job.message().toFields();
		List<Object> args = new ArrayList<>(2 + fields.size() * 2);
		args.add(QueueKeys.GROUP);
		args.add(nextCall(job.keys()));
		addFields(args, fields);
		this.redis.execute(ENQUEUE, List.of(job.keys().stream(), sent(job.keys())), args.toArray());
	}

	/** Ready jobs without controls, all of one queue. */
	void readyBatch(List<PreparedJob> batch) {
		QueueKeys keys = batch.get(0).keys();
		List<Object> args = new ArrayList<>(2 + batch.size() * 12);
		args.add(QueueKeys.GROUP);
		args.add(nextCall(keys));
		for (PreparedJob job : batch) {
			Map<String, String> fields = job.message().toFields();
			args.add(Integer.toString(fields.size() * 2));
			addFields(args, fields);
		}
		this.redis.execute(ENQUEUE_BATCH, List.of(keys.stream(), sent(keys)), args.toArray());
	}

	/** Delayed jobs without controls, all of one queue. */
	void delayed(List<PreparedJob> batch) {
		QueueKeys keys = batch.get(0).keys();
		List<Object> args = new ArrayList<>(2 + batch.size() * 3);
		args.add(keys.wakeChannel());
		args.add(nextCall(keys));
		for (PreparedJob job : batch) {
			args.add(Long.toString(job.runAt()));
			args.add(job.id().value());
			args.add(JobJson.writeFields(job.message().toFields()));
		}
		this.redis.execute(SCHEDULE, List.of(keys.delayed(), keys.delayedJobs(), sent(keys)), args.toArray());
	}

	/** A tracked or unique job, or one with an explicit id. */
	Submitted controlled(PreparedJob job) {
		QueueKeys keys = job.keys();
		JobMessage message = job.message();
		JobControls controls = message.controls();
		Map<String, String> fields = message.toFields();
		List<Object> args = new ArrayList<>(11 + fields.size() * 2);
		args.add(QueueKeys.GROUP);
		args.add(keys.wakeChannel());
		args.add(job.ready() ? "0" : Long.toString(job.runAt()));
		args.add(message.id().value());
		args.add((controls.uniqueKey() != null) ? Long.toString(job.lockMillis()) : "");
		args.add(controls.tracked() ? "1" : "0");
		args.add(Long.toString(this.trackingTtlMillis));
		args.add(Long.toString(System.currentTimeMillis()));
		args.add(job.ready() ? "" : JobJson.writeFields(fields));
		args.add(job.explicitId() ? Long.toString(job.idRecordMillis()) : "");
		args.add(nextCall(keys));
		addFields(args, fields);
		String uniqueKey = (controls.uniqueKey() != null) ? controls.uniqueKey() : "";
		List<?> reply = this.redis.execute(SUBMIT, List.of(keys.stream(), keys.delayed(), keys.delayedJobs(),
				keys.unique(uniqueKey), keys.job(message.id().value()), keys.id(message.id().value()), sent(keys)),
				args.toArray());
		return new Submitted(Submitted.Outcome.valueOf(String.valueOf(reply.get(0)).toUpperCase(Locale.ROOT)),
				JobId.of(String.valueOf(reply.get(1))));
	}

	private String nextCall(QueueKeys keys) {
		return Long
			.toString(this.callsByQueue.computeIfAbsent(keys.queue(), (queue) -> new AtomicLong()).incrementAndGet());
	}

	private String sent(QueueKeys keys) {
		return keys.sent(this.producer);
	}

	private static void addFields(List<Object> args, Map<String, String> fields) {
		fields.forEach((field, value) -> {
			args.add(field);
			args.add(value);
		});
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
