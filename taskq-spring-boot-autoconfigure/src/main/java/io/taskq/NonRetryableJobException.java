package io.taskq;

/**
 * Thrown by a handler to say that running the job again cannot help (bad data, a
 * permanent refusal downstream): the job goes to the dead letters at once.
 */
public class NonRetryableJobException extends TaskqException {

	public NonRetryableJobException(String message) {
		super(message);
	}

	public NonRetryableJobException(String message, Throwable cause) {
		super(message, cause);
	}

}
