package io.taskq;

/**
 * The failure recorded for a job that ran longer than its timeout. Retried like any other
 * failure.
 */
public class JobTimeoutException extends TaskqException {

	public JobTimeoutException(String message) {
		super(message);
	}

}
