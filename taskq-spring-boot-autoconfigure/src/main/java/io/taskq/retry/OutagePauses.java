package io.taskq.retry;

import java.time.Duration;

/**
 * The one schedule by which taskq's background loops try Redis again while it does not
 * answer: 100 ms after the first failure in a row, doubling with each further one, at
 * most 5 s. Short enough to resume within moments of a restart, long enough that a dead
 * server costs no hot loop.
 * <p>
 * Internal to taskq: public only because loops in several packages share it. Not the
 * backoff of failed jobs, which is {@link RetryPolicy}.
 */
public final class OutagePauses {

	static final Duration FIRST = Duration.ofMillis(100);

	static final Duration MAX = Duration.ofSeconds(5);

	private OutagePauses() {
	}

	/**
	 * The pause before the next try.
	 * @param failures the failures in a row so far, 1 after the first
	 */
	public static Duration after(int failures) {
		// Capped shift: no overflow however long the outage.
		long millis = FIRST.toMillis() << Math.min(Math.max(failures, 1) - 1, 10);
		return (millis < MAX.toMillis()) ? Duration.ofMillis(millis) : MAX;
	}

}
