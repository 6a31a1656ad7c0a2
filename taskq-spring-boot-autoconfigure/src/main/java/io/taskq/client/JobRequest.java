package io.taskq.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.taskq.JobId;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * One job to enqueue: a task name, its payload, and options. Immutable; every
 * {@code with...} method returns a copy.
 *
 * <pre class="code">
 * jobs.submit(JobRequest.of("report.build", request)
 *     .withQueue("reports")
 *     .withDelay(Duration.ofMinutes(5))
 *     .withMaxRetries(2)
 *     .withTimeout(Duration.ofMinutes(1))
 *     .withHeader("tenant", "acme"));
 * </pre>
 *
 * @param task the task name a {@code @TaskHandler} handles
 * @param payload the payload, written as JSON; may be {@code null}
 * @param queue the queue, or {@code null} for the queue of the task's handler in this
 * application, else the default queue
 * @param jobId an explicit job id, or {@code null} to generate one; an explicit id is
 * held from enqueue until ten minutes after its job ended, and enqueueing it meanwhile is
 * refused with a {@link JobAlreadyEnqueuedException}, so a retry with the same id after
 * an enqueue of unknown outcome adds the job at most once
 * @param runAt when the job is due, or {@code null} to run it now
 * @param maxRetries a per-job retry limit, or {@code null} for the handler's
 * @param headers user headers handed to the handler through {@code JobContext}
 * @param timeout how long a run may take, or {@code null} for the handler's limit
 * @param tracked whether the job's state is recorded from enqueue on, for
 * {@link JobClient#status} and {@link JobClient#whenFinished}
 * @param uniqueness makes the job unique, or {@code null}
 * @param concurrencyKey a key limiting how many jobs of the task with this key run at
 * once across all instances, or {@code null}
 * @param concurrencyLimit the limit for the key, 0 for the handler's (1 if it sets none)
 */
public record JobRequest(String task, @Nullable Object payload, @Nullable String queue, @Nullable JobId jobId,
		@Nullable Instant runAt, @Nullable Integer maxRetries, Map<String, String> headers, @Nullable Duration timeout,
		boolean tracked, @Nullable Uniqueness uniqueness, @Nullable String concurrencyKey, int concurrencyLimit) {

	public JobRequest {
		Assert.hasText(task, "Task name must not be empty");
		Assert.isTrue(maxRetries == null || maxRetries >= 0, "Max retries must not be negative");
		Assert.isTrue(timeout == null || timeout.toMillis() > 0, "Timeout must be positive");
		Assert.isTrue(concurrencyKey == null || !concurrencyKey.isEmpty(), "Concurrency key must not be empty");
		Assert.isTrue(concurrencyLimit >= 0, "Concurrency limit must not be negative");
		headers = (headers.isEmpty()) ? Collections.emptyMap()
				: Collections.unmodifiableMap(new LinkedHashMap<>(headers));
	}

	public static JobRequest of(String task, @Nullable Object payload) {
		return new JobRequest(task, payload, null, null, null, null, Collections.emptyMap(), null, false, null, null,
				0);
	}

	public JobRequest withQueue(String queue) {
		Assert.hasText(queue, "Queue must not be empty");
		return new JobRequest(this.task, this.payload, queue, this.jobId, this.runAt, this.maxRetries, this.headers,
				this.timeout, this.tracked, this.uniqueness, this.concurrencyKey, this.concurrencyLimit);
	}

	public JobRequest withJobId(JobId jobId) {
		return new JobRequest(this.task, this.payload, this.queue, jobId, this.runAt, this.maxRetries, this.headers,
				this.timeout, this.tracked, this.uniqueness, this.concurrencyKey, this.concurrencyLimit);
	}

	public JobRequest withRunAt(Instant runAt) {
		return new JobRequest(this.task, this.payload, this.queue, this.jobId, runAt, this.maxRetries, this.headers,
				this.timeout, this.tracked, this.uniqueness, this.concurrencyKey, this.concurrencyLimit);
	}

	public JobRequest withDelay(Duration delay) {
		Assert.isTrue(!delay.isNegative(), "Delay must not be negative");
		return withRunAt(Instant.now().plus(delay));
	}

	public JobRequest withMaxRetries(int maxRetries) {
		return new JobRequest(this.task, this.payload, this.queue, this.jobId, this.runAt, maxRetries, this.headers,
				this.timeout, this.tracked, this.uniqueness, this.concurrencyKey, this.concurrencyLimit);
	}

	public JobRequest withHeader(String name, String value) {
		Assert.hasText(name, "Header name must not be empty");
		Map<String, String> copy = new LinkedHashMap<>(this.headers);
		copy.put(name, value);
		return new JobRequest(this.task, this.payload, this.queue, this.jobId, this.runAt, this.maxRetries, copy,
				this.timeout, this.tracked, this.uniqueness, this.concurrencyKey, this.concurrencyLimit);
	}

	/** Interrupts and fails a run that takes longer, overriding the handler's timeout. */
	public JobRequest withTimeout(Duration timeout) {
		return new JobRequest(this.task, this.payload, this.queue, this.jobId, this.runAt, this.maxRetries,
				this.headers, timeout, this.tracked, this.uniqueness, this.concurrencyKey, this.concurrencyLimit);
	}

	/** Records the job's state from enqueue on, so its status can be read and awaited. */
	public JobRequest withTracking() {
		return new JobRequest(this.task, this.payload, this.queue, this.jobId, this.runAt, this.maxRetries,
				this.headers, this.timeout, true, this.uniqueness, this.concurrencyKey, this.concurrencyLimit);
	}

	public JobRequest withUniqueness(Uniqueness uniqueness) {
		return new JobRequest(this.task, this.payload, this.queue, this.jobId, this.runAt, this.maxRetries,
				this.headers, this.timeout, this.tracked, uniqueness, this.concurrencyKey, this.concurrencyLimit);
	}

	/**
	 * At most the handler's concurrency limit (1 if it sets none) run at once per key.
	 */
	public JobRequest withConcurrencyKey(String concurrencyKey) {
		return new JobRequest(this.task, this.payload, this.queue, this.jobId, this.runAt, this.maxRetries,
				this.headers, this.timeout, this.tracked, this.uniqueness, concurrencyKey, this.concurrencyLimit);
	}

	/** At most {@code limit} jobs of the task with this key run at once. */
	public JobRequest withConcurrencyKey(String concurrencyKey, int limit) {
		Assert.isTrue(limit > 0, "Concurrency limit must be positive");
		return new JobRequest(this.task, this.payload, this.queue, this.jobId, this.runAt, this.maxRetries,
				this.headers, this.timeout, this.tracked, this.uniqueness, concurrencyKey, limit);
	}

}
