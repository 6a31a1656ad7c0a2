package io.taskq.support;

/**
 * The control messages sent on a queue's wake channel beside due times.
 */
public final class QueueControlMessages {

	public static final String PAUSE = "pause";

	public static final String RESUME = "resume";

	private QueueControlMessages() {
	}

}
