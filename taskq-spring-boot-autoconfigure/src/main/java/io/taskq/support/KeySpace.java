package io.taskq.support;

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

}
