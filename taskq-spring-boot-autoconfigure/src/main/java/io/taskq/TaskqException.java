package io.taskq;

/**
 * Base class of the exceptions taskq throws at its API.
 */
public class TaskqException extends RuntimeException {

	public TaskqException(String message) {
		super(message);
	}

	public TaskqException(String message, Throwable cause) {
		super(message, cause);
	}

}
