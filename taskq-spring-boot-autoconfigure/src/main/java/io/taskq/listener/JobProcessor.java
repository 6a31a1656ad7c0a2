package io.taskq.listener;

import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.taskq.JobId;
import io.taskq.listener.adapter.SimpleJobContext;
import io.taskq.listener.adapter.TaskEndpoint;
import io.taskq.retry.RetryPolicy;
import io.taskq.support.JobExecution;
import io.taskq.support.JobMessage;
import io.taskq.support.JobObserver;
import io.taskq.support.MalformedJobException;
import io.taskq.support.PayloadReadException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs one delivery of a job and decides its {@link Outcome}: done, retry with backoff,
 * or dead letter. Never throws: whatever goes wrong becomes an outcome, so a worker
 * thread cannot die and a job cannot be dropped. Logs once per failed attempt, never the
 * payload.
 */
final class JobProcessor {

	private static final Log logger = LogFactory.getLog(JobProcessor.class);

	private final String queue;

	private final TaskEndpointRegistry endpoints;

	private final RetryPolicy defaultRetry;

	private final BooleanSupplier abandoned;

	private final JobObserver observer;

	private final SlowTaskLog slowTasks;

	/**
	 * @param abandoned whether the container gave up on running jobs at shutdown; a job
	 * interrupted then is neither failed nor retried, it stays pending for a reclaim
	 */
	JobProcessor(String queue, TaskEndpointRegistry endpoints, ListenerOptions options, JobObserver observer,
			BooleanSupplier abandoned) {
		this.queue = queue;
		this.endpoints = endpoints;
		this.defaultRetry = options.retry();
		this.slowTasks = new SlowTaskLog(options.slowTaskThreshold());
		this.observer = observer;
		this.abandoned = abandoned;
	}

	/**
	 * @param entryId the stream entry id
	 * @param fields the entry's fields
	 * @param deliveries how often this entry has been delivered, 1 on first delivery
	 */
	Outcome process(String entryId, Map<String, String> fields, long deliveries) {
		JobMessage job;
		try {
			job = JobMessage.fromFields(fields);
		}
		catch (MalformedJobException ex) {
			JobMessage placeholder = new JobMessage(JobId.of("entry-" + entryId), fields.getOrDefault("task", "(none)"),
					null, 0, null, 0, 0, Map.of());
			return dead(entryId, placeholder, "malformed stream entry " + entryId + ": " + ex.getMessage(), ex, 1);
		}
		TaskEndpoint endpoint = this.endpoints.endpoint(job.task());
		if (endpoint == null || !endpoint.queue().equals(this.queue)) {
			return dead(entryId, job,
					"no handler for task '" + job.task() + "' on queue '" + this.queue + "'"
							+ ((endpoint != null) ? " (its handler listens on queue '" + endpoint.queue() + "')" : ""),
					null, job.retries() + 1);
		}
		int maxRetries = maxRetries(job, endpoint);
		int attempt = job.retries() + (int) deliveries;
		if (attempt > maxRetries + 1) {
			return dead(entryId, job, "delivered " + deliveries + " times without finishing: the worker running it"
					+ " crashed or was killed each time", null, attempt - 1);
		}
		Object payload;
		try {
			payload = endpoint.invoker().readPayload(job.payload());
		}
		catch (PayloadReadException ex) {
			logDead(job, ex.loggableMessage() + " (the dead letter holds the parser's message)", null);
			return new Outcome.Dead(entryId, job, ex.getMessage(), ex, attempt);
		}
		SimpleJobContext context = new SimpleJobContext(job.id(), job.task(), this.queue, attempt, maxRetries + 1,
				Instant.ofEpochMilli(job.createdAt()), job.headers());
		long startedAt = System.currentTimeMillis();
		long start = System.nanoTime();
		Outcome outcome;
		try {
			endpoint.invoker().invoke(payload, context);
			outcome = new Outcome.Done(entryId);
		}
		catch (Throwable ex) {
			if (this.abandoned.getAsBoolean()) {
				return new Outcome.Abandoned(entryId);
			}
			outcome = failed(entryId, job, ex, attempt, maxRetries);
		}
		long duration = System.nanoTime() - start;
		this.slowTasks.check(job, this.queue, endpoint, duration);
		observe(new JobExecution(this.queue, job.task(), job.id(), readyAt(entryId), job.dueAt(), startedAt, duration,
				result(outcome)));
		return outcome;
	}

	private static JobExecution.Result result(Outcome outcome) {
		if (outcome instanceof Outcome.Done) {
			return JobExecution.Result.SUCCESS;
		}
		return (outcome instanceof Outcome.Retry) ? JobExecution.Result.RETRY : JobExecution.Result.DEAD;
	}

	/** The entry id's time: when XADD stored it, that is when the job became ready. */
	static long readyAt(String entryId) {
		int dash = entryId.indexOf('-');
		try {
			return Long.parseLong((dash > 0) ? entryId.substring(0, dash) : entryId);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private void observe(JobExecution execution) {
		try {
			this.observer.executed(execution);
		}
		catch (RuntimeException ex) {
			logger.debug("Job observer failed", ex);
		}
	}

	private Outcome failed(String entryId, JobMessage job, Throwable ex, int attempt, int maxRetries) {
		String failure = "failed on attempt " + attempt + " of " + (maxRetries + 1) + ": " + ex;
		if (!ErrorClassifier.isRetryable(ex)) {
			return dead(entryId, job, "not retryable, " + failure, ex, attempt);
		}
		if (job.retries() >= maxRetries) {
			return dead(entryId, job, failure, ex, attempt);
		}
		RetryPolicy policy = this.defaultRetry;
		long delay = policy.backoff(job.retries() + 1).toMillis();
		try {
			this.observer.retried(this.queue, job.task());
		}
		catch (RuntimeException observerFailure) {
			logger.debug("Job observer failed", observerFailure);
		}
		if (logger.isWarnEnabled()) {
			logger.warn("Job " + job.id() + " (" + job.task() + " on queue " + this.queue + ") " + failure
					+ "; retrying in " + delay + " ms");
		}
		return new Outcome.Retry(entryId, job.withRetries(job.retries() + 1), System.currentTimeMillis() + delay);
	}

	private Outcome dead(String entryId, JobMessage job, String reason, @Nullable Throwable error, int attempts) {
		logDead(job, reason, (error instanceof MalformedJobException) ? null : error);
		return new Outcome.Dead(entryId, job, reason, error, attempts);
	}

	private void logDead(JobMessage job, String reason, @Nullable Throwable error) {
		try {
			this.observer.deadLettered(this.queue, job.task());
		}
		catch (RuntimeException ex) {
			logger.debug("Job observer failed", ex);
		}
		logger.error("Job " + job.id() + " (" + job.task() + " on queue " + this.queue + ") goes to the dead letters: "
				+ reason, error);
	}

	private int maxRetries(JobMessage job, TaskEndpoint endpoint) {
		if (job.maxRetries() != null) {
			return job.maxRetries();
		}
		return (endpoint.maxRetries() != null) ? endpoint.maxRetries() : this.defaultRetry.maxRetries();
	}

}
