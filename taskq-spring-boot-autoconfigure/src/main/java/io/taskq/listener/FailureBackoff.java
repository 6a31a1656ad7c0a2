package io.taskq.listener;

import java.time.Duration;

import io.taskq.retry.OutagePauses;
import org.apache.commons.logging.Log;

/**
 * Paces a loop that talks to Redis through an outage: the first failure is logged once
 * (without a stack trace), later ones only at debug, recovery once at info; the pauses
 * follow {@link OutagePauses}, so a dead server costs no hot loop and no log storm.
 */
public final class FailureBackoff {

	private final Log logger;

	private final String what;

	private int failures;

	private long failingSince;

	public FailureBackoff(Log logger, String what) {
		this.logger = logger;
		this.what = what;
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
		return OutagePauses.after(this.failures);
	}

	/** Records a success, logging the recovery if there was an outage. */
	public void succeeded() {
		if (this.failures > 0) {
			this.logger.info(this.what + " recovered after " + this.failures + " failed tries in "
					+ Duration.ofMillis(System.currentTimeMillis() - this.failingSince).toMillis() + " ms");
			this.failures = 0;
		}
	}

	static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : "";
		return root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
	}

	/** Sleeps, returning early (and keeping the flag) when interrupted. */
	static void pause(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
