package io.taskq;

/**
 * A payload that cannot be written as JSON; thrown at the call site, nothing is enqueued.
 */
public class JobSerializationException extends TaskqException {

	public JobSerializationException(String message, Throwable cause) {
		super(message, cause);
	}

}
