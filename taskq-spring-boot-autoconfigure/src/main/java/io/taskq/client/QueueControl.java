package io.taskq.client;

/**
 * Pauses and resumes queues across every instance: a paused queue keeps accepting jobs,
 * its workers finish what they run and fetch nothing new until it is resumed. The state
 * lives in Redis, so instances started later see it too.
 */
public interface QueueControl {

	void pause(String queue);

	void resume(String queue);

	boolean isPaused(String queue);

}
