package io.taskq.retry;

import java.time.Duration;

import org.apache.commons.logging.Log;

/**
 * Paces a loop that talks to Redis through an outage: the first failure is logged once
 * (without a stack trace), later ones only at debug, recovery once at info; the pauses
 * follow {@link #pauseAfter}, so a dead server costs no hot loop and no log storm.
 * <p>
 * Internal to taskq: public only because the loops of the listener, the promoter and the
 * recurring scheduler share it. Not the backoff of failed jobs, which is
 * {@link RetryPolicy}.
 */
public final class OutageBackoff {

	static final Duration FIRST = Duration.ofMillis(100);

	static final Duration MAX = Duration.ofSeconds(5);

	private final Log logger;

	private final String what;

	private int failures;

	private long failingSince;

	public OutageBackoff(Log logger, String what) {
		this.logger = logger;
		this.what = what;
	}

	/**
	 * The one schedule by which taskq's background loops try Redis again while it does
	 * not answer: 100 ms after the first failure in a row, doubling with each further
	 * one, at most 5 s. Short enough to resume within moments of a restart, long enough
	 * that a dead server costs no hot loop.
	 * @param failures the failures in a row so far, 1 after the first
	 */
	public static Duration pauseAfter(int failures) {
		// Capped shift: no overflow however long the outage.
		long millis = FIRST.toMillis() << Math.min(Math.max(failures, 1) - 1, 10);
		return (millis < MAX.toMillis()) ? Duration.ofMillis(millis) : MAX;
	}

	/** Records a failure and returns how long to pause before the next try. */
	public Duration failed(Exception ex) {
		if (this.failures == 0) {
			this.failingSince = System.currentTimeMillis();
			this.logger.warn(this.what + " failed, retrying with backoff until Redis answers: " + describe(ex));
		}
		else if (this.logger.isDebugEnabled()) {
			this.logger.debug(this.what + " failed again (" + (this.failures + 1) + " times): " + describe(ex));
		}
		this.failures++;
		return pauseAfter(this.failures);
	}

	/** Records a success, logging the recovery if there was an outage. */
	public void succeeded() {
		if (this.failures > 0) {
			this.logger.info(this.what + " recovered after " + this.failures + " failed tries in "
					+ Duration.ofMillis(System.currentTimeMillis() - this.failingSince).toMillis() + " ms");
			this.failures = 0;
		}
	}

	/** The root cause's type and message, for a log line without a stack trace. */
	public static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : "";
		return root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
	}

	/** Sleeps, returning early (and keeping the flag) when interrupted. */
	public static void pause(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
