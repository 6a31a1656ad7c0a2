package io.taskq.support;

/**
 * The control messages sent on a queue's wake channel beside due times.
 */
public final class QueueControlMessages {

	public static final String PAUSE = "pause";

	public static final String RESUME = "resume";

	/** Followed by a job id: cancel that job if it is queued or running. */
	public static final String CANCEL_PREFIX = "cancel:";

	private QueueControlMessages() {
	}

}
