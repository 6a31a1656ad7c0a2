package io.taskq.test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.taskq.JobId;
import io.taskq.JobState;
import io.taskq.client.CancelResult;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.client.JobStatus;
import io.taskq.listener.TaskEndpointRegistry;
import io.taskq.retry.RetryPolicy;
import io.taskq.support.PayloadCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The {@link JobClient} of {@link TaskqTest.Mode#CAPTURE} and
 * {@link TaskqTest.Mode#INLINE} tests: records every job enqueued, for assertions, and in
 * the inline mode runs its handler at once in the caller's thread. No Redis is involved.
 * <p>
 * Payloads are written with the application's {@link PayloadCodec}, as in production, so
 * a payload that cannot be written fails at the call; the inline mode reads the JSON back
 * as the handler's parameter type.
 */
public class CapturedJobs implements JobClient {

	private final PayloadCodec codec;

	private final TaskEndpointRegistry endpoints;

	private final String defaultQueue;

	private final @Nullable InlineRunner runner;

	private final List<CapturedJob> jobs = new CopyOnWriteArrayList<>();

	private final Map<JobId, JobStatus> statuses = new ConcurrentHashMap<>();

	/**
	 * @param maxRetries the application's default retries, for the attempts a job's
	 * context reports in the inline mode; {@code -1} for the capture mode
	 */
	CapturedJobs(PayloadCodec codec, TaskEndpointRegistry endpoints, String defaultQueue, int maxRetries) {
		this.codec = codec;
		this.endpoints = endpoints;
		this.defaultQueue = defaultQueue;
		this.runner = (maxRetries >= 0) ? new InlineRunner(endpoints, maxRetries) : null;
	}

	static CapturedJobs create(ConfigurableApplicationContext context, boolean inline) {
		Environment environment = context.getEnvironment();
		int maxRetries = inline
				? environment.getProperty("taskq.retry.max-retries", Integer.class, RetryPolicy.DEFAULTS.maxRetries())
				: -1;
		return new CapturedJobs(context.getBean(PayloadCodec.class), context.getBean(TaskEndpointRegistry.class),
				environment.getProperty("taskq.default-queue", "default"), maxRetries);
	}

	/** Every job enqueued, in order, those cancelled since left out. */
	public List<CapturedJob> jobs() {
		return List.copyOf(this.jobs);
	}

	/** The jobs of one task, in order. */
	public List<CapturedJob> jobs(String task) {
		return this.jobs.stream().filter((job) -> job.task().equals(task)).toList();
	}

	/** The payloads of one task's jobs, read back from their JSON as the given type. */
	public <T> List<T> payloads(String task, Class<T> type) {
		List<T> payloads = new ArrayList<>();
		for (CapturedJob job : jobs(task)) {
			payloads.add(type.cast(this.codec.readerFor(type).read(job.payload())));
		}
		return payloads;
	}

	/** Forgets every job, for the next test. */
	public void clear() {
		this.jobs.clear();
		this.statuses.clear();
	}

	@Override
	public JobId submit(JobRequest request) {
		JobId id = (request.jobId() != null) ? request.jobId() : JobId.generate();
		String payload = this.codec.write(request.payload());
		CapturedJob job = new CapturedJob(id, queueOf(request), request.task(), payload, request);
		this.jobs.add(job);
		if (this.runner == null) {
			JobState state = (request.runAt() != null && request.runAt().isAfter(Instant.now())) ? JobState.SCHEDULED
					: JobState.QUEUED;
			this.statuses.put(id, status(job, state, 0, null, null));
			return id;
		}
		try {
			String result = this.runner.run(job);
			this.statuses.put(id, status(job, JobState.SUCCEEDED, 1, null, result));
		}
		catch (RuntimeException | Error ex) {
			this.statuses.put(id, status(job, JobState.DEAD, 1, ex.toString(), null));
			throw ex;
		}
		return id;
	}

	@Override
	public List<JobId> enqueueAll(List<JobRequest> requests) {
		return requests.stream().map(this::submit).toList();
	}

	@Override
	public String queueOf(String task) {
		String queue = this.endpoints.queueOf(task);
		return (queue != null) ? queue : this.defaultQueue;
	}

	@Override
	public CancelResult cancel(String queue, JobId id) {
		if (this.runner == null && this.jobs.removeIf((job) -> job.id().equals(id) && job.queue().equals(queue))) {
			this.statuses.computeIfPresent(id, (key, status) -> new JobStatus(id, queue, JobState.CANCELLED,
					status.attempt(), Instant.now(), null, null, null));
			return CancelResult.CANCELLED;
		}
		return CancelResult.REQUESTED;
	}

	@Override
	public JobStatus status(String queue, JobId id) {
		JobStatus status = this.statuses.get(id);
		return (status != null && status.queue().equals(queue)) ? status
				: new JobStatus(id, queue, JobState.UNKNOWN, 0, null, null, null, null);
	}

	@Override
	public <T> Optional<T> result(String queue, JobId id, Class<T> type) {
		String result = status(queue, id).result();
		return (result != null) ? Optional.ofNullable(type.cast(this.codec.readerFor(type).read(result)))
				: Optional.empty();
	}

	/**
	 * In the inline mode, the job's final status at once; in the capture mode nothing
	 * runs, so the future fails with an {@link IllegalStateException} that says so.
	 */
	@Override
	public CompletableFuture<JobStatus> whenFinished(String queue, JobId id) {
		JobStatus status = status(queue, id);
		if (status.state().isFinal()) {
			return CompletableFuture.completedFuture(status);
		}
		return CompletableFuture.failedFuture(new IllegalStateException("Job " + id + " on queue '" + queue
				+ "' will not finish: in @TaskqTest(mode = CAPTURE) jobs are recorded, not run; assert on "
				+ "CapturedJobs.jobs(), or use mode INLINE or REDIS to run them"));
	}

	private String queueOf(JobRequest request) {
		return (request.queue() != null) ? request.queue() : queueOf(request.task());
	}

	private static JobStatus status(CapturedJob job, JobState state, int attempt, @Nullable String error,
			@Nullable String result) {
		return new JobStatus(job.id(), job.queue(), state, attempt, Instant.now(), job.request().runAt(), error,
				result);
	}

}
