package io.taskq.support;

import io.taskq.TaskqException;

/**
 * A payload that does not deserialize into the handler's parameter type. Never retried:
 * the same bytes fail the same way.
 */
public class PayloadReadException extends TaskqException {

	private final String targetType;

	public PayloadReadException(String targetType, String detail, Throwable cause) {
		super("payload does not deserialize to " + targetType + ": " + detail, cause);
		this.targetType = targetType;
	}

	/**
	 * What may be logged: the parser's detail can quote the payload, which may hold
	 * personal data, so logs get only the target type.
	 */
	public String loggableMessage() {
		return "payload does not deserialize to " + this.targetType;
	}

}
