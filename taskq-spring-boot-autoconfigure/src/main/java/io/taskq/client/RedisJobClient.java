package io.taskq.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.taskq.JobId;
import io.taskq.support.JobJson;
import io.taskq.support.JobMessage;
import io.taskq.support.JobObserver;
import io.taskq.support.KeySpace;
import io.taskq.support.PayloadCodec;
import io.taskq.support.QueueKeys;
import io.taskq.support.TaskqScript;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link JobClient} on Redis.
 * <p>
 * Round trips: a ready job is one script call (XADD, and XGROUP CREATE with a new
 * stream); a delayed job one script call (ZADD, HSET, and a PUBLISH only when it becomes
 * the earliest); {@link #enqueueAll} one script call per queue and batch of
 * {@value JobClient#BATCH_SIZE}.
 */
public class RedisJobClient implements JobClient {

	private static final RedisScript<Long> ENQUEUE_BATCH = TaskqScript.load(RedisJobClient.class, "enqueue-batch.lua",
			Long.class);

	private static final RedisScript<String> ENQUEUE = TaskqScript.load(RedisJobClient.class, "enqueue.lua",
			String.class);

	private static final RedisScript<Long> SCHEDULE = TaskqScript.load(RedisJobClient.class, "schedule.lua",
			Long.class);

	private final StringRedisTemplate redis;

	private final KeySpace keys;

	private final PayloadCodec codec;

	private final TaskRouter router;

	private final String defaultQueue;

	private final JobObserver observer;

	private final CapacityGuard capacity;

	public RedisJobClient(StringRedisTemplate redis, KeySpace keys, PayloadCodec codec, TaskRouter router,
			String defaultQueue, JobObserver observer, CapacityGuard capacity) {
		this.capacity = capacity;
		this.observer = observer;
		this.redis = redis;
		this.keys = keys;
		this.codec = codec;
		this.router = router;
		this.defaultQueue = defaultQueue;
	}

	@Override
	public JobId submit(JobRequest request) {
		PreparedJob job = prepare(request, System.currentTimeMillis());
		this.capacity.check(job.keys().queue());
		try {
			if (job.ready()) {
				Map<String, String> fields = job.message().toFields();
				List<Object> args = new ArrayList<>(1 + fields.size() * 2);
				args.add(QueueKeys.GROUP);
				fields.forEach((field, value) -> {
					args.add(field);
					args.add(value);
				});
				this.redis.execute(ENQUEUE, List.of(job.keys().stream()), args.toArray());
			}
			else {
				this.redis.execute(SCHEDULE, List.of(job.keys().delayed(), job.keys().delayedJobs()),
						job.keys().wakeChannel(), Long.toString(job.runAt()), job.message().id().value(),
						JobJson.writeFields(job.message().toFields()));
			}
		}
		catch (DataAccessException ex) {
			throw this.capacity.translate(job.keys().queue(), ex, enqueueFailed(
					job.message().id() + " (" + job.message().task() + " on queue " + job.keys().queue() + ")", ex));
		}
		this.observer.enqueued(job.keys().queue(), 1);
		return job.message().id();
	}

	@Override
	public List<JobId> enqueueAll(List<JobRequest> requests) {
		long now = System.currentTimeMillis();
		List<JobId> ids = new ArrayList<>(requests.size());
		Map<String, List<PreparedJob>> ready = new LinkedHashMap<>();
		Map<String, List<PreparedJob>> delayed = new LinkedHashMap<>();
		for (JobRequest request : requests) {
			PreparedJob job = prepare(request, now);
			ids.add(job.message().id());
			(job.ready() ? ready : delayed).computeIfAbsent(job.keys().queue(), (queue) -> new ArrayList<>()).add(job);
		}
		ready.forEach((queue, jobs) -> sendInBatches(jobs, this::sendReady));
		delayed.forEach((queue, jobs) -> sendInBatches(jobs, this::sendDelayed));
		return ids;
	}

	private void sendInBatches(List<PreparedJob> jobs, Consumer<List<PreparedJob>> sender) {
		for (int start = 0; start < jobs.size(); start += BATCH_SIZE) {
			List<PreparedJob> batch = jobs.subList(start, Math.min(jobs.size(), start + BATCH_SIZE));
			this.capacity.check(batch.get(0).keys().queue());
			try {
				sender.accept(batch);
				this.observer.enqueued(batch.get(0).keys().queue(), batch.size());
			}
			catch (DataAccessException ex) {
				throw this.capacity.translate(batch.get(0).keys().queue(), ex,
						enqueueFailed(batch.size() + " jobs (first " + batch.get(0).message().id() + ") on queue "
								+ batch.get(0).keys().queue(), ex));
			}
		}
	}

	private void sendReady(List<PreparedJob> batch) {
		List<Object> args = new ArrayList<>(1 + batch.size() * 12);
		args.add(QueueKeys.GROUP);
		args.add(batch.get(batch.size() - 1).message().id().value());
		for (PreparedJob job : batch) {
			Map<String, String> fields = job.message().toFields();
			args.add(Integer.toString(fields.size() * 2));
			fields.forEach((field, value) -> {
				args.add(field);
				args.add(value);
			});
		}
		this.redis.execute(ENQUEUE_BATCH, List.of(batch.get(0).keys().stream()), args.toArray());
	}

	private void sendDelayed(List<PreparedJob> batch) {
		QueueKeys queueKeys = batch.get(0).keys();
		List<Object> args = new ArrayList<>(1 + batch.size() * 3);
		args.add(queueKeys.wakeChannel());
		for (PreparedJob job : batch) {
			args.add(Long.toString(job.runAt()));
			args.add(job.message().id().value());
			args.add(JobJson.writeFields(job.message().toFields()));
		}
		this.redis.execute(SCHEDULE, List.of(queueKeys.delayed(), queueKeys.delayedJobs()), args.toArray());
	}

	private PreparedJob prepare(JobRequest request, long now) {
		String queue = resolveQueue(request);
		JobId id = (request.jobId() != null) ? request.jobId() : JobId.generate();
		String payload = this.codec.write(request.payload());
		long runAt = (request.runAt() != null) ? request.runAt().toEpochMilli() : 0L;
		boolean ready = runAt <= now;
		JobMessage message = new JobMessage(id, request.task(), payload, 0, request.maxRetries(), now, 0L,
				request.headers());
		return new PreparedJob(this.keys.queue(queue), message, ready, runAt);
	}

	private String resolveQueue(JobRequest request) {
		if (request.queue() != null) {
			return request.queue();
		}
		String routed = this.router.queueOf(request.task());
		return (routed != null) ? routed : this.defaultQueue;
	}

	private static JobEnqueueException enqueueFailed(String what, DataAccessException ex) {
		return new JobEnqueueException("Could not enqueue job " + what + ": " + rootMessage(ex), ex);
	}

	static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	private record PreparedJob(QueueKeys keys, JobMessage message, boolean ready, long runAt) {
	}

}
