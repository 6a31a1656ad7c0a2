package io.taskq.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Makes a job unique: while a job with the same key (per task) holds the key's lock, a
 * second enqueue adds nothing and returns the first job's id. Checking and taking the
 * lock is one atomic script with the enqueue.
 *
 * <pre class="code">
 * jobs.submit(JobRequest.of("invoice.send", invoice).withUniqueness(Uniqueness.byKey(invoice.id())));
 * jobs.submit(JobRequest.of("cache.rebuild", region).withUniqueness(Uniqueness.byPayload().untilStarted()));
 * </pre>
 *
 * @param key the key, or {@code null} to derive it from the payload's JSON
 * @param releaseOnStart whether the lock goes when the job starts (only queued or
 * scheduled jobs are unique) rather than when it finishes, dies or is cancelled
 * @param lockTimeout how long the lock lasts at most after the job is due, should its
 * owner never release it; {@code null} for {@code taskq.unique-lock-timeout}
 */
public record Uniqueness(@Nullable String key, boolean releaseOnStart, @Nullable Duration lockTimeout) {

	public Uniqueness {
		Assert.isTrue(key == null || !key.isEmpty(), "Uniqueness key must not be empty");
		Assert.isTrue(lockTimeout == null || lockTimeout.toMillis() > 0, "Lock timeout must be positive");
	}

	/** Unique by an explicit key, until the job finishes. */
	public static Uniqueness byKey(String key) {
		return new Uniqueness(key, false, null);
	}

	/** Unique by task and payload (its JSON), until the job finishes. */
	public static Uniqueness byPayload() {
		return new Uniqueness(null, false, null);
	}

	/** The lock goes when the job starts, so a running job does not block a new one. */
	public Uniqueness untilStarted() {
		return new Uniqueness(this.key, true, this.lockTimeout);
	}

	public Uniqueness lockFor(Duration lockTimeout) {
		return new Uniqueness(this.key, this.releaseOnStart, lockTimeout);
	}

}
