package io.taskq.listener;

import io.taskq.JobTimeoutException;
import io.taskq.retry.ErrorClassifier;
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
 * Turns failures into outcomes, for admission and for runs alike: a retry after the
 * policy's backoff, a dead letter, or (when the application's recoverer finished a job
 * that failed for the last time) done. Logs once per failed attempt, never the payload,
 * and tells the observer, whose failures never reach the runtime.
 */
final class JobOutcomes {

	private static final Log logger = LogFactory.getLog(JobOutcomes.class);

	private final String queue;

	private final RetryPolicy defaultRetry;

	private final ErrorClassifier classifier;

	private final JobRecovery recovery;

	private final JobObserver observer;

	JobOutcomes(String queue, ListenerOptions options, JobObserver observer) {
		this.queue = queue;
		this.defaultRetry = options.retry();
		this.classifier = options.errorClassifier();
		this.recovery = new JobRecovery(options.recoverer(), queue);
		this.observer = observer;
	}

	RetryPolicy defaultRetry() {
		return this.defaultRetry;
	}

	/**
	 * @param mayRecover whether a job that failed for the last time may go to the
	 * recoverer: not while its handler still runs (the recoverer would race it)
	 */
	Outcome failed(String entryId, JobMessage job, Throwable ex, int attempt, int maxRetries,
			@Nullable Tracking tracking, boolean mayRecover) {
		FailureDecision decision = FailureDecision.decide(ex, job.retries(), attempt, maxRetries, this.defaultRetry,
				this.classifier);
		if (!(decision instanceof FailureDecision.RetryAfter retry)) {
			String reason = mayRecover ? this.recovery.recover(job, decision.failure(), decision.failure(), ex, attempt)
					: decision.failure();
			// Done as after a success: acknowledged, a tracked job's end recorded.
			return (reason != null) ? dead(entryId, job, reason, ex, attempt, tracking)
					: new Outcome.Done(entryId, tracking, null);
		}
		try {
			this.observer.retried(this.queue, job.task());
		}
		catch (RuntimeException observerFailure) {
			logger.debug("Job observer failed", observerFailure);
		}
		if (logger.isWarnEnabled()) {
			logger.warn("Job " + job.id() + " (" + job.task() + " on queue " + this.queue + ") " + retry.failure()
					+ "; retrying in " + retry.delayMillis() + " ms");
		}
		return new Outcome.Retry(entryId, job.withRetries(job.retries() + 1),
				System.currentTimeMillis() + retry.delayMillis(), tracking, ex.toString());
	}

	/**
	 * A payload that does not fit the handler's type: never retried (it fails the same
	 * way every time), offered to the recoverer.
	 */
	Outcome unreadable(String entryId, JobMessage job, PayloadReadException ex, int attempt,
			@Nullable Tracking tracking) {
		String reason = this.recovery.recover(job, ex.getMessage(), ex.loggableMessage(), ex, attempt);
		if (reason == null) {
			return new Outcome.Done(entryId, tracking, null);
		}
		logDead(job, ex.loggableMessage() + " (the dead letter holds the parser's message)", null);
		return new Outcome.Dead(entryId, job, reason, ex, attempt, tracking);
	}

	Outcome dead(String entryId, JobMessage job, String reason, @Nullable Throwable error, int attempts,
			@Nullable Tracking tracking) {
		logDead(job, reason, (error instanceof MalformedJobException) ? null : error);
		return new Outcome.Dead(entryId, job, reason, error, attempts, tracking);
	}

	void executed(JobExecution execution) {
		try {
			this.observer.executed(execution);
		}
		catch (RuntimeException ex) {
			logger.debug("Job observer failed", ex);
		}
	}

	static JobTimeoutException timedOut(JobMessage job, long timeoutMillis) {
		return new JobTimeoutException("job " + job.id() + " timed out after " + timeoutMillis + " ms");
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

}
