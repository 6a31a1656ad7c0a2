package io.taskq.support.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All keys under one prefix ({@code taskq.key-prefix}), with each queue's keys built
 * once.
 */
public final class KeySpace {

	public static final String DEFAULT_PREFIX = "taskq";

	private final String prefix;

	private final Map<String, QueueKeys> queues = new ConcurrentHashMap<>();

	public KeySpace(String prefix) {
		this.prefix = prefix;
	}

	public String prefix() {
		return this.prefix;
	}

	public QueueKeys queue(String queue) {
		return this.queues.computeIfAbsent(queue, (name) -> QueueKeys.of(this.prefix, name));
	}

	/**
	 * The state hash of a recurring job ({@code taskq:{queue}:recurring:name}), under its
	 * queue's hash tag so the fire script touches one Cluster slot.
	 */
	public String recurringJob(String queue, String name) {
		// Checks the queue name as for every other key of the queue.
		queue(queue);
		return this.prefix + ":{" + queue + "}:recurring:" + name;
	}

}
