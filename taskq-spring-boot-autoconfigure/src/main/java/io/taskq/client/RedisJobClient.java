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
import io.taskq.client.RedisEnqueuer.Submitted;
import io.taskq.support.JobControls;
import io.taskq.support.JobMessage;
import io.taskq.support.JobObserver;
import io.taskq.support.PayloadCodec;
import io.taskq.support.redis.KeySpace;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link JobClient} on Redis.
 * <p>
 * Round trips: a ready job is one script call (XADD, and XGROUP CREATE with a new
 * stream); a delayed job one script call (ZADD, HSET, and a PUBLISH only when it becomes
 * the earliest); {@link #enqueueAll} one script call per queue and batch of
 * {@value JobClient#BATCH_SIZE}. A tracked or unique job, or one with an explicit id, is
 * one script call of its own (it writes its lock, state or id record in the same atomic
 * step), also within {@link #enqueueAll}. Every call also marks itself done in the
 * producer's small record on the queue, so a call resent after a reconnect adds nothing
 * (issue 16).
 */
class RedisJobClient implements JobClient, AutoCloseable {

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

	private final RedisEnqueuer enqueuer;

	public RedisJobClient(RedisConnectionFactory connectionFactory, StringRedisTemplate redis, KeySpace keys,
			PayloadCodec codec, TaskRouter router, Settings settings, JobObserver observer, CapacityGuard capacity) {
		this.settings = settings;
		this.records = new JobRecords(redis, keys, settings.trackingTtl().toMillis());
		this.completions = new CompletionWaiter(connectionFactory, keys, this.records,
				settings.pollInterval().toMillis());
		this.capacity = capacity;
		this.failures = new EnqueueFailures(capacity);
		this.enqueuer = new RedisEnqueuer(redis, settings.trackingTtl().toMillis());
		this.observer = observer;
		this.redis = redis;
		this.keys = keys;
		this.codec = codec;
		this.router = router;
		this.defaultQueue = settings.defaultQueue();
	}

	@Override
	public JobId submit(JobRequest request) {
		return send(prepare(request, System.currentTimeMillis()));
	}

	/**
	 * @return the job's id, or the id of the job holding its uniqueness key
	 * @throws JobAlreadyEnqueuedException if a job with its explicit id is queued or
	 * running
	 */
	private JobId send(PreparedJob job) {
		String queue = job.keys().queue();
		this.capacity.check(queue, List.of(job.id()));
		Submitted submitted;
		try {
			if (job.controlled()) {
				submitted = this.enqueuer.controlled(job);
			}
			else {
				if (job.ready()) {
					this.enqueuer.ready(job);
				}
				else {
					this.enqueuer.delayed(List.of(job));
				}
				submitted = new Submitted(Submitted.Outcome.ADDED, job.id());
			}
		}
		catch (DataAccessException ex) {
			throw this.failures.enqueueFailed(queue,
					"job " + job.id() + " (" + job.message().task() + " on queue " + queue + ")", List.of(job.id()),
					job.explicitId(), ex);
		}
		switch (submitted.outcome()) {
			// A resent call's first reply never arrived: this is the call's one count.
			case ADDED, RESENT -> this.observer.enqueued(queue, 1);
			case DUPLICATE -> throw new JobAlreadyEnqueuedException(queue, List.of(job.id()), "");
			case OWNER -> {
				// The job holding the key counted when it was added.
			}
		}
		return submitted.id();
	}

	@Override
	public List<JobId> enqueueAll(List<JobRequest> requests) {
		long now = System.currentTimeMillis();
		List<JobId> ids = new ArrayList<>(requests.size());
		Map<String, List<PreparedJob>> ready = new LinkedHashMap<>();
		Map<String, List<PreparedJob>> delayed = new LinkedHashMap<>();
		List<JobAlreadyEnqueuedException> duplicates = new ArrayList<>();
		for (JobRequest request : requests) {
			PreparedJob job = prepare(request, now);
			if (job.controlled()) {
				try {
					ids.add(send(job));
				}
				catch (JobAlreadyEnqueuedException ex) {
					duplicates.add(ex);
					ids.add(job.id());
				}
				continue;
			}
			ids.add(job.id());
			(job.ready() ? ready : delayed).computeIfAbsent(job.keys().queue(), (queue) -> new ArrayList<>()).add(job);
		}
		ready.forEach((queue, jobs) -> sendInBatches(jobs, this.enqueuer::readyBatch));
		delayed.forEach((queue, jobs) -> sendInBatches(jobs, this.enqueuer::delayed));
		if (!duplicates.isEmpty()) {
			throw new JobAlreadyEnqueuedException(duplicates.get(0).getQueue(),
					duplicates.stream().flatMap((ex) -> ex.getJobIds().stream()).toList(),
					"; the other " + (requests.size() - duplicates.size()) + " jobs of the call were enqueued");
		}
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
		long idRecordMillis = (request.jobId() != null)
				? Math.max(0, runAt - now) + this.settings.uniqueLockTimeout().toMillis() : 0;
		return new PreparedJob(this.keys.queue(queue), message, ready, runAt, lockMillis, idRecordMillis);
	}

	private JobControls controls(JobRequest request, @Nullable String payload) {
		boolean tracked = request.tracked() || this.router.isTracked(request.task());
		Uniqueness uniqueness = request.uniqueness();
		boolean explicitId = request.jobId() != null;
		if (!tracked && uniqueness == null && !explicitId && request.timeout() == null
				&& request.concurrencyKey() == null && request.concurrencyLimit() == 0) {
			return JobControls.NONE;
		}
		String uniqueKey = null;
		if (uniqueness != null) {
			uniqueKey = request.task() + ":" + ((uniqueness.key() != null) ? uniqueness.key() : digest(payload));
		}
		return new JobControls((request.timeout() != null) ? request.timeout().toMillis() : 0, tracked, uniqueKey,
				uniqueness != null && uniqueness.releaseOnStart(), request.concurrencyKey(), request.concurrencyLimit(),
				explicitId);
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
