package io.taskq.support.redis;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How many dead jobs a queue keeps, and for how long; the dead-letter script removes the
 * rest, oldest first, as it adds a job.
 *
 * @param maxCount the most dead jobs per queue
 * @param maxAge the longest a dead job is kept
 */
public record DeadLetterBounds(int maxCount, Duration maxAge) {

	/** Sidekiq's bounds: 10,000 dead jobs per queue, for 180 days. */
	public static final DeadLetterBounds DEFAULT = new DeadLetterBounds(10_000, Duration.ofDays(180));

	public DeadLetterBounds {
		Assert.isTrue(maxCount > 0, "The dead letters' maximum count must be positive");
		Assert.isTrue(!maxAge.isNegative() && !maxAge.isZero(), "The dead letters' maximum age must be positive");
	}

}
