package io.taskq.support;

import io.taskq.TaskqException;

/**
 * A stream entry or stored job that is not a taskq job (written by hand, or by an
 * incompatible version). Such entries are dead-lettered, never retried.
 */
public class MalformedJobException extends TaskqException {

	public MalformedJobException(String message) {
		super(message);
	}

}
