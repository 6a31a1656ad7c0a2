package io.taskq.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.taskq.JobId;
import io.taskq.JobState;
import io.taskq.support.JobControls;
import io.taskq.support.JobJson;
import io.taskq.support.JobMessage;
import io.taskq.support.JobObserver;
import io.taskq.support.KeySpace;
import io.taskq.support.PayloadCodec;
import io.taskq.support.QueueKeys;
import io.taskq.support.TaskqScript;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link JobClient} on Redis.
 * <p>
 * Round trips: a ready job is one script call (XADD, and XGROUP CREATE with a new
 * stream); a delayed job one script call (ZADD, HSET, and a PUBLISH only when it becomes
 * the earliest); {@link #enqueueAll} one script call per queue and batch of
 * {@value JobClient#BATCH_SIZE}. A tracked or unique job is one script call of its own
 * (it writes its lock or state record in the same atomic step), also within
 * {@link #enqueueAll}.
 */
public class RedisJobClient implements JobClient, AutoCloseable {

	private static final RedisScript<Long> ENQUEUE_BATCH = TaskqScript.load(RedisJobClient.class, "enqueue-batch.lua",
			Long.class);

	private static final RedisScript<String> ENQUEUE = TaskqScript.load(RedisJobClient.class, "enqueue.lua",
			String.class);

	private static final RedisScript<Long> SCHEDULE = TaskqScript.load(RedisJobClient.class, "schedule.lua",
			Long.class);

	private static final RedisScript<String> SUBMIT = TaskqScript.load(RedisJobClient.class, "submit.lua",
			String.class);

	private final StringRedisTemplate redis;

	private final KeySpace keys;

	private final PayloadCodec codec;

	private final TaskRouter router;

	private final String defaultQueue;

	private final JobObserver observer;

	private final CapacityGuard capacity;

	private final EnqueueFailures failures;

	private final Settings settings;

	private final JobRecords records;

	private final CompletionWaiter completions;

	public RedisJobClient(RedisConnectionFactory connectionFactory, StringRedisTemplate redis, KeySpace keys,
			PayloadCodec codec, TaskRouter router, Settings settings, JobObserver observer, CapacityGuard capacity) {
		this.settings = settings;
		this.records = new JobRecords(redis, keys, settings.trackingTtl().toMillis());
		this.completions = new CompletionWaiter(connectionFactory, keys, this.records,
				settings.pollInterval().toMillis());
		this.capacity = capacity;
		this.failures = new EnqueueFailures(capacity);
		this.observer = observer;
		this.redis = redis;
		this.keys = keys;
		this.codec = codec;
		this.router = router;
		this.defaultQueue = settings.defaultQueue();
	}

	@Override
	public JobId submit(JobRequest request) {
		PreparedJob job = prepare(request, System.currentTimeMillis());
		this.capacity.check(job.keys().queue(), List.of(job.message().id()));
		JobId id = job.message().id();
		try {
			if (job.controlled()) {
				id = submitControlled(job);
			}
			else if (job.ready()) {
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
			throw this.failures.enqueueFailed(job.keys().queue(),
					"job " + job.message().id() + " (" + job.message().task() + " on queue " + job.keys().queue() + ")",
					List.of(job.message().id()), request.jobId() != null, ex);
		}
		if (id.equals(job.message().id())) {
			this.observer.enqueued(job.keys().queue(), 1);
		}
		return id;
	}

	/** A tracked or unique job; the id is the existing job's when the key is taken. */
	private JobId submitControlled(PreparedJob job) {
		QueueKeys queueKeys = job.keys();
		JobMessage message = job.message();
		JobControls controls = message.controls();
		Map<String, String> fields = message.toFields();
		List<Object> args = new ArrayList<>(9 + fields.size() * 2);
		args.add(QueueKeys.GROUP);
		args.add(queueKeys.wakeChannel());
		args.add(job.ready() ? "0" : Long.toString(job.runAt()));
		args.add(message.id().value());
		args.add((controls.uniqueKey() != null) ? Long.toString(job.lockMillis()) : "");
		args.add(controls.tracked() ? "1" : "0");
		args.add(Long.toString(this.settings.trackingTtl().toMillis()));
		args.add(Long.toString(System.currentTimeMillis()));
		args.add(job.ready() ? "" : JobJson.writeFields(fields));
		fields.forEach((field, value) -> {
			args.add(field);
			args.add(value);
		});
		String uniqueKey = (controls.uniqueKey() != null) ? controls.uniqueKey() : "";
		String owner = this.redis.execute(SUBMIT, List.of(queueKeys.stream(), queueKeys.delayed(),
				queueKeys.delayedJobs(), queueKeys.unique(uniqueKey), queueKeys.job(message.id().value())),
				args.toArray());
		return (owner != null) ? JobId.of(owner) : message.id();
	}

	@Override
	public List<JobId> enqueueAll(List<JobRequest> requests) {
		long now = System.currentTimeMillis();
		List<JobId> ids = new ArrayList<>(requests.size());
		Map<String, List<PreparedJob>> ready = new LinkedHashMap<>();
		Map<String, List<PreparedJob>> delayed = new LinkedHashMap<>();
		for (JobRequest request : requests) {
			PreparedJob job = prepare(request, now);
			if (job.controlled()) {
				ids.add(submit(request.withJobId(job.message().id())));
				continue;
			}
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
			String queue = batch.get(0).keys().queue();
			List<JobId> ids = batch.stream().map((job) -> job.message().id()).toList();
			this.capacity.check(queue, ids);
			try {
				sender.accept(batch);
				this.observer.enqueued(queue, batch.size());
			}
			catch (DataAccessException ex) {
				throw this.failures.enqueueFailed(queue,
						batch.size() + " jobs (first " + ids.get(0) + ") on queue " + queue
								+ "; jobs before them in the list were stored",
						ids, batch.stream().allMatch(PreparedJob::explicitId), ex);
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
		String queue = (request.queue() != null) ? request.queue() : queueOf(request.task());
		JobId id = (request.jobId() != null) ? request.jobId() : JobId.generate();
		String payload = this.codec.write(request.payload());
		long runAt = (request.runAt() != null) ? request.runAt().toEpochMilli() : 0L;
		boolean ready = runAt <= now;
		JobMessage message = new JobMessage(id, request.task(), payload, 0, request.maxRetries(), now, 0L,
				request.headers(), controls(request, payload));
		long lockMillis = 0;
		if (request.uniqueness() != null) {
			Duration lockTimeout = (request.uniqueness().lockTimeout() != null) ? request.uniqueness().lockTimeout()
					: this.settings.uniqueLockTimeout();
			lockMillis = Math.max(0, runAt - now) + lockTimeout.toMillis();
		}
		return new PreparedJob(this.keys.queue(queue), message, ready, runAt, lockMillis, request.jobId() != null);
	}

	private JobControls controls(JobRequest request, @Nullable String payload) {
		boolean tracked = request.tracked() || this.router.isTracked(request.task());
		Uniqueness uniqueness = request.uniqueness();
		if (!tracked && uniqueness == null && request.timeout() == null && request.concurrencyKey() == null
				&& request.concurrencyLimit() == 0) {
			return JobControls.NONE;
		}
		String uniqueKey = null;
		if (uniqueness != null) {
			uniqueKey = request.task() + ":" + ((uniqueness.key() != null) ? uniqueness.key() : digest(payload));
		}
		return new JobControls((request.timeout() != null) ? request.timeout().toMillis() : 0, tracked, uniqueKey,
				uniqueness != null && uniqueness.releaseOnStart(), request.concurrencyKey(),
				request.concurrencyLimit());
	}

	/** A payload's uniqueness key: its JSON's SHA-256, so keys stay short. */
	private static String digest(@Nullable String payload) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			byte[] hash = sha.digest(String.valueOf(payload).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	@Override
	public String queueOf(String task) {
		String routed = this.router.queueOf(task);
		return (routed != null) ? routed : this.defaultQueue;
	}

	@Override
	public CancelResult cancel(String queue, JobId id) {
		try {
			return this.records.cancel(queue, id);
		}
		catch (DataAccessException ex) {
			throw new JobEnqueueException("Could not cancel job " + id + " on queue " + queue + ": " + rootMessage(ex),
					ex);
		}
	}

	@Override
	public JobStatus status(String queue, JobId id) {
		return this.records.status(queue, id);
	}

	@Override
	public <T> Optional<T> result(String queue, JobId id, Class<T> type) {
		JobStatus status = status(queue, id);
		if (status.state() != JobState.SUCCEEDED || status.result() == null) {
			return Optional.empty();
		}
		return Optional.ofNullable(type.cast(this.codec.readerFor(type).read(status.result())));
	}

	@Override
	public CompletableFuture<JobStatus> whenFinished(String queue, JobId id) {
		return this.completions.whenFinished(queue, id);
	}

	@Override
	public void close() {
		this.completions.stop();
	}

	static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	private record PreparedJob(QueueKeys keys, JobMessage message, boolean ready, long runAt, long lockMillis,
			boolean explicitId) {

		/** Whether enqueueing writes more than the job: a uniqueness lock or a state. */
		boolean controlled() {
			return this.message.controls().tracked() || this.message.controls().uniqueKey() != null;
		}

	}

	/**
	 * How the client enqueues and tracks jobs.
	 *
	 * @param defaultQueue the queue of tasks without a handler in this application
	 * @param trackingTtl how long state records and cancellation requests live
	 * @param uniqueLockTimeout how long a uniqueness lock lives at most after its job is
	 * due
	 * @param pollInterval how often completion waits re-read the awaited records
	 */
	public record Settings(String defaultQueue, Duration trackingTtl, Duration uniqueLockTimeout,
			Duration pollInterval) {

	}

}
