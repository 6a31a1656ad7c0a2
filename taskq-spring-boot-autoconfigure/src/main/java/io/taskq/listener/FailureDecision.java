package io.taskq.listener;

import io.taskq.retry.ErrorClassifier;
import io.taskq.retry.RetryPolicy;

/**
 * What becomes of a failed attempt: it runs again after a backoff, or goes to the dead
 * letters. A pure function of the error, the attempt, the retry policy and the error
 * classifier, so that the rules are read, and tested, in one place.
 */
sealed interface FailureDecision {

	/**
	 * Decides a failed attempt.
	 * @param error what the handler threw (or the timeout)
	 * @param retries how often the job was retried before this attempt
	 * @param attempt this attempt, from 1
	 * @param maxRetries the most retries the job gets
	 * @param policy the backoff between retries
	 * @param classifier which errors are never retried
	 */
	static FailureDecision decide(Throwable error, int retries, int attempt, int maxRetries, RetryPolicy policy,
			ErrorClassifier classifier) {
		String failure = "failed on attempt " + attempt + " of " + (maxRetries + 1) + ": " + error;
		if (!classifier.isRetryable(error)) {
			return new DeadLetter("not retryable, " + failure);
		}
		if (retries >= maxRetries) {
			return new DeadLetter(failure);
		}
		return new RetryAfter(policy.backoff(retries + 1).toMillis(), failure);
	}

	/** What the log and the dead letter say of the failure. */
	String failure();

	/**
	 * The job runs again after {@code delayMillis}.
	 *
	 * @param failure the failed attempt, for the log
	 */
	record RetryAfter(long delayMillis, String failure) implements FailureDecision {
	}

	/**
	 * The job goes to the dead letters.
	 *
	 * @param failure the reason recorded with it
	 */
	record DeadLetter(String failure) implements FailureDecision {
	}

}
