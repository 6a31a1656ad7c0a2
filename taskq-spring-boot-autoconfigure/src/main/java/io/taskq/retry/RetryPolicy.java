package io.taskq.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.util.Assert;

/**
 * How often and how late a failed job runs again: exponential backoff with jitter. The
 * n-th retry waits {@code min(delay * multiplier^(n-1), maxDelay)} plus or minus up to
 * {@code jitter}, never less than zero. The jitter spreads retries of jobs that failed
 * together (a downstream outage) so they do not return together.
 *
 * @param maxRetries retries after the first attempt; 0 dead-letters on the first failure
 * @param delay the wait before the first retry
 * @param multiplier the growth of the wait per retry
 * @param maxDelay the longest wait
 * @param jitter the most the wait is moved either way at random
 */
public record RetryPolicy(int maxRetries, Duration delay, double multiplier, Duration maxDelay, Duration jitter) {

	public static final RetryPolicy DEFAULTS = new RetryPolicy(5, Duration.ofSeconds(1), 4.0, Duration.ofHours(1),
			Duration.ofMillis(500));

	public RetryPolicy {
		Assert.isTrue(maxRetries >= 0, "Max retries must not be negative");
		Assert.isTrue(!delay.isNegative(), "Delay must not be negative");
		Assert.isTrue(multiplier >= 1.0, "Multiplier must be 1 or more");
		Assert.isTrue(maxDelay.compareTo(delay) >= 0, "Max delay must not be less than delay");
		Assert.isTrue(!jitter.isNegative(), "Jitter must not be negative");
	}

	public RetryPolicy withMaxRetries(int maxRetries) {
		return new RetryPolicy(maxRetries, this.delay, this.multiplier, this.maxDelay, this.jitter);
	}

	/**
	 * The wait before a retry.
	 * @param retry the retry about to be scheduled, starting at 1
	 */
	public Duration backoff(int retry) {
		double base = this.delay.toMillis() * Math.pow(this.multiplier, Math.max(0, retry - 1));
		long millis = (long) Math.min(base, this.maxDelay.toMillis());
		long jitterMillis = this.jitter.toMillis();
		if (jitterMillis > 0) {
			millis += ThreadLocalRandom.current().nextLong(-jitterMillis, jitterMillis + 1);
		}
		return Duration.ofMillis(Math.max(0, millis));
	}

}
