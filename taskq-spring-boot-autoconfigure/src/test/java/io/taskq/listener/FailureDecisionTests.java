package io.taskq.listener;

import java.time.Duration;

import io.taskq.JobTimeoutException;
import io.taskq.NonRetryableJobException;
import io.taskq.retry.ErrorClassifier;
import io.taskq.retry.RetryPolicy;
import io.taskq.support.PayloadReadException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules for a failed attempt, without Redis: retry with the policy's backoff while
 * retries remain, dead letter after the last one or for an error that fails the same way
 * every time.
 */
class FailureDecisionTests {

	private static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofSeconds(1), 4.0, Duration.ofSeconds(10),
			Duration.ZERO);

	private static final ErrorClassifier CLASSIFIER = ErrorClassifier.defaults();

	@Test
	void firstFailureIsRetriedAfterTheDelay() {
		FailureDecision decision = FailureDecision.decide(new IllegalStateException("boom"), 0, 1, 3, POLICY,
				CLASSIFIER);
		assertThat(decision).isEqualTo(new FailureDecision.RetryAfter(1000,
				"failed on attempt 1 of 4: java.lang.IllegalStateException: boom"));
	}

	@Test
	void laterRetriesBackOffByTheMultiplierUpToTheMaxDelay() {
		assertThat(FailureDecision.decide(new IllegalStateException(), 1, 2, 3, POLICY, CLASSIFIER))
			.isInstanceOfSatisfying(FailureDecision.RetryAfter.class,
					(retry) -> assertThat(retry.delayMillis()).isEqualTo(4000));
		assertThat(FailureDecision.decide(new IllegalStateException(), 2, 3, 3, POLICY, CLASSIFIER))
			.isInstanceOfSatisfying(FailureDecision.RetryAfter.class,
					(retry) -> assertThat(retry.delayMillis()).isEqualTo(10000));
	}

	@Test
	void lastAttemptGoesToTheDeadLetters() {
		FailureDecision decision = FailureDecision.decide(new JobTimeoutException("job x timed out after 5 ms"), 3, 4,
				3, POLICY, CLASSIFIER);
		assertThat(decision).isEqualTo(new FailureDecision.DeadLetter(
				"failed on attempt 4 of 4: io.taskq.JobTimeoutException: job x timed out after 5 ms"));
	}

	@Test
	void errorsThatFailTheSameWayEveryTimeAreNotRetried() {
		assertThat(FailureDecision.decide(new NonRetryableJobException("bad order"), 0, 1, 3, POLICY, CLASSIFIER))
			.isEqualTo(new FailureDecision.DeadLetter(
					"not retryable, failed on attempt 1 of 4: io.taskq.NonRetryableJobException: bad order"));
		assertThat(FailureDecision.decide(new PayloadReadException("Order", "no fit", new IllegalArgumentException()),
				0, 1, 3, POLICY, CLASSIFIER))
			.isInstanceOf(FailureDecision.DeadLetter.class);
	}

	@Test
	void jobWithoutRetriesIsDeadAtItsFirstFailure() {
		assertThat(FailureDecision.decide(new IllegalStateException(), 0, 1, 0, POLICY, CLASSIFIER))
			.isInstanceOf(FailureDecision.DeadLetter.class);
	}

	@Test
	void errorsTheClassifierListsAreNotRetriedWhateverTheRetriesLeft() {
		ErrorClassifier classifier = CLASSIFIER.withNotRetryableExceptions(IllegalArgumentException.class);
		assertThat(
				FailureDecision.decide(new IllegalArgumentException("no such customer"), 0, 1, 3, POLICY, classifier))
			.isEqualTo(new FailureDecision.DeadLetter(
					"not retryable, failed on attempt 1 of 4: java.lang.IllegalArgumentException: no such customer"));
		assertThat(FailureDecision.decide(new IllegalArgumentException(), 0, 1, 3, POLICY, CLASSIFIER))
			.isInstanceOf(FailureDecision.RetryAfter.class);
	}

}
