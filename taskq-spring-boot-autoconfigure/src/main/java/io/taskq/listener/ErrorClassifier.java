package io.taskq.listener;

import java.util.List;

import io.taskq.NonRetryableJobException;
import io.taskq.support.MalformedJobException;
import io.taskq.support.PayloadReadException;

/**
 * Tells which failures are worth a retry. A payload that does not deserialize, a
 * malformed entry, or a handler's {@link NonRetryableJobException} fail the same way
 * every time.
 */
public final class ErrorClassifier {

	private static final List<Class<? extends Throwable>> NEVER_RETRIED = List.of(NonRetryableJobException.class,
			PayloadReadException.class, MalformedJobException.class);

	private ErrorClassifier() {
	}

	public static boolean isRetryable(Throwable error) {
		for (Class<? extends Throwable> type : NEVER_RETRIED) {
			if (type.isInstance(error)) {
				return false;
			}
		}
		return true;
	}

}
