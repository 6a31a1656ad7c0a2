package io.taskq.support.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Adds jobs to a queue: ready ones to the stream, delayed ones to the delayed set, one
 * round trip per call. Each producer numbers its calls per queue, so a call Lettuce sends
 * again after a reconnect adds nothing (sent.lua).
 */
@SuppressWarnings("rawtypes")
public final class EnqueueScripts {

	private static final RedisScript<Long> ENQUEUE = TaskqScript.load(EnqueueScripts.class, "enqueue.lua", Long.class,
			"sent.lua");

	private static final RedisScript<Long> ENQUEUE_BATCH = TaskqScript.load(EnqueueScripts.class, "enqueue-batch.lua",
			Long.class, "sent.lua");

	private static final RedisScript<Long> SCHEDULE = TaskqScript.load(EnqueueScripts.class, "schedule.lua", Long.class,
			"sent.lua");

	private static final RedisScript<List> SUBMIT = TaskqScript.load(EnqueueScripts.class, "submit.lua", List.class,
			"sent.lua");

	private final StringRedisTemplate redis;

	public EnqueueScripts(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * One ready job without controls (enqueue.lua).
	 * @param producer the producer's name
	 * @param call the producer's number of this call on the queue
	 * @param fields the job's fields
	 */
	public void enqueue(QueueKeys keys, String producer, long call, Map<String, String> fields) {
		List<Object> args = new ArrayList<>(2 + fields.size() * 2);
		args.add(QueueKeys.GROUP);
		args.add(Long.toString(call));
		addFields(args, fields);
		this.redis.execute(ENQUEUE, List.of(keys.stream(), keys.sent(producer)), args.toArray());
	}

	/** Ready jobs without controls, in one call (enqueue-batch.lua). */
	public void enqueueBatch(QueueKeys keys, String producer, long call, List<Map<String, String>> jobs) {
		List<Object> args = new ArrayList<>(2 + jobs.size() * 12);
		args.add(QueueKeys.GROUP);
		args.add(Long.toString(call));
		for (Map<String, String> fields : jobs) {
			args.add(Integer.toString(fields.size() * 2));
			addFields(args, fields);
		}
		this.redis.execute(ENQUEUE_BATCH, List.of(keys.stream(), keys.sent(producer)), args.toArray());
	}

	/** Delayed jobs without controls, in one call (schedule.lua). */
	public void schedule(QueueKeys keys, String producer, long call, List<DelayedJob> jobs) {
		List<Object> args = new ArrayList<>(2 + jobs.size() * 3);
		args.add(keys.wakeChannel());
		args.add(Long.toString(call));
		for (DelayedJob job : jobs) {
			args.add(Long.toString(job.dueAt()));
			args.add(job.jobId());
			args.add(job.fieldsJson());
		}
		this.redis.execute(SCHEDULE, List.of(keys.delayed(), keys.delayedJobs(), keys.sent(producer)), args.toArray());
	}

	/**
	 * One job with controls: a uniqueness lock, a state record, an explicit id
	 * (submit.lua).
	 * @return the script's reply: what became of the job, and the id of the job added or
	 * of the one holding the uniqueness key
	 */
	public List<?> submit(QueueKeys keys, String producer, long call, Submission job) {
		Map<String, String> fields = job.fields();
		List<Object> args = new ArrayList<>(11 + fields.size() * 2);
		args.add(QueueKeys.GROUP);
		args.add(keys.wakeChannel());
		args.add(Long.toString(job.dueAt()));
		args.add(job.jobId());
		args.add((job.uniqueKey() != null) ? Long.toString(job.lockMillis()) : "");
		args.add(job.tracked() ? "1" : "0");
		args.add(Long.toString(job.trackingTtlMillis()));
		args.add(Long.toString(System.currentTimeMillis()));
		args.add((job.dueAt() > 0) ? JobJson.writeFields(fields) : "");
		args.add((job.idRecordMillis() > 0) ? Long.toString(job.idRecordMillis()) : "");
		args.add(Long.toString(call));
		addFields(args, fields);
		String uniqueKey = (job.uniqueKey() != null) ? job.uniqueKey() : "";
		return this.redis.execute(SUBMIT, List.of(keys.stream(), keys.delayed(), keys.delayedJobs(),
				keys.unique(uniqueKey), keys.job(job.jobId()), keys.id(job.jobId()), keys.sent(producer)),
				args.toArray());
	}

	private static void addFields(List<Object> args, Map<String, String> fields) {
		fields.forEach((field, value) -> {
			args.add(field);
			args.add(value);
		});
	}

	/**
	 * A delayed job for {@link #schedule}.
	 *
	 * @param dueAt when it is due (epoch millis)
	 * @param jobId its id
	 * @param fieldsJson its fields as JSON
	 */
	public record DelayedJob(long dueAt, String jobId, String fieldsJson) {
	}

	/**
	 * A job for {@link #submit}.
	 *
	 * @param jobId its id
	 * @param dueAt when it is due (epoch millis), 0 for a ready job
	 * @param uniqueKey its uniqueness key, or {@code null}
	 * @param lockMillis how long the uniqueness lock lives
	 * @param tracked whether its state is recorded
	 * @param trackingTtlMillis how long the state record lives
	 * @param idRecordMillis how long the id record lives at most, 0 for a generated id
	 * @param fields its fields
	 */
	public record Submission(String jobId, long dueAt, @Nullable String uniqueKey, long lockMillis, boolean tracked,
			long trackingTtlMillis, long idRecordMillis, Map<String, String> fields) {
	}

}
