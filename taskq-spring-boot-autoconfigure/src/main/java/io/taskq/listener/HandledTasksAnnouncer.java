package io.taskq.listener;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.taskq.retry.OutageBackoff;
import io.taskq.support.redis.QueueKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

/**
 * Keeps this instance's entries in the {@link HandledTasks} registry fresh: writes the
 * tasks it handles on each of its queues as it starts, then every
 * {@link HandledTasks#ANNOUNCE_INTERVAL}, on a thread of its own, since a fetcher may
 * block in a read for longer than that. A failed turn is logged once and the next one
 * tries again; an entry outlives three failed turns in a row.
 * <p>
 * Nothing is removed at stop: another instance may handle the same tasks, and the entries
 * of an instance gone for good lapse by themselves.
 * <p>
 * Round trips: one script call per queue every interval.
 */
final class HandledTasksAnnouncer {

	private static final Log logger = LogFactory.getLog(HandledTasksAnnouncer.class);

	private final HandledTasks registry;

	private final Map<QueueKeys, Set<String>> tasksByQueue;

	private final OutageBackoff backoff = new OutageBackoff(logger,
			"Announcing the tasks this instance handles (issue 16)");

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "taskq-handled-tasks");
		thread.setDaemon(true);
		return thread;
	});

	HandledTasksAnnouncer(HandledTasks registry, Map<QueueKeys, Set<String>> tasksByQueue) {
		this.registry = registry;
		this.tasksByQueue = Map.copyOf(tasksByQueue);
	}

	/**
	 * Announces at once, then at every interval; on the announcer's thread, so that an
	 * application started while Redis is down does not wait for it.
	 */
	void start() {
		long interval = HandledTasks.ANNOUNCE_INTERVAL.toMillis();
		this.timer.scheduleWithFixedDelay(this::announce, 0, interval, TimeUnit.MILLISECONDS);
	}

	void stop() {
		this.timer.shutdownNow();
	}

	private void announce() {
		try {
			this.tasksByQueue.forEach(this.registry::announce);
			this.backoff.succeeded();
		}
		catch (DataAccessException ex) {
			this.backoff.failed(ex);
		}
		catch (RuntimeException ex) {
			// A scheduled task that throws is never run again.
			logger.error("Unexpected failure announcing the tasks this instance handles", ex);
		}
	}

}
