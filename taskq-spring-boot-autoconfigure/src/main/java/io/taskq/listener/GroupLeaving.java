package io.taskq.listener;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Takes a stopping container's consumer out of its queues' groups, by a deadline. It is a
 * courtesy that keeps a group's list of consumers short (the consumer holds no job by
 * then), so it never holds a stop up: it runs on a thread of its own, as a call to a
 * frozen server waits for the client's command timeout, which may be a minute.
 */
final class GroupLeaving {

	private static final Log logger = LogFactory.getLog(GroupLeaving.class);

	private GroupLeaving() {
	}

	/**
	 * @param name the container's name, for the thread's
	 * @param served what the container serves, for the log
	 */
	static void leave(String name, String served, List<QueueLane> lanes, long deadline) {
		if (StopDeadlines.millisUntil(deadline) < StopDeadlines.MIN_GROUP_LEAVING.toMillis()) {
			logger.info("Not leaving the consumer groups of " + served + ": the shutdown deadline is near");
			return;
		}
		Thread leaving = new Thread(() -> leaveNow(served, lanes), "taskq-" + name + "-leave");
		leaving.setDaemon(true);
		leaving.start();
		if (!StopDeadlines.join(leaving, deadline)) {
			leaving.interrupt();
			logger.info("Did not leave the consumer groups of " + served
					+ ": Redis did not answer before the shutdown deadline; the consumer stays listed, holding no job");
		}
	}

	private static void leaveNow(String served, List<QueueLane> lanes) {
		try {
			lanes.forEach(QueueLane::leaveGroup);
		}
		catch (RuntimeException ex) {
			// Given up on at the deadline, and the context closed the connections since.
			logger.debug("Could not leave the consumer groups of " + served, ex);
		}
	}

}
