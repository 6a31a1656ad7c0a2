package io.taskq.support;

import io.taskq.TaskqException;

/**
 * A payload that does not deserialize into the handler's parameter type. Never retried:
 * the same bytes fail the same way.
 */
public class PayloadReadException extends TaskqException {

	public PayloadReadException(String message, Throwable cause) {
		super(message, cause);
	}

}
