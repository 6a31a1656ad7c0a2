package io.taskq.listener;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.taskq.client.TaskRouter;
import io.taskq.listener.adapter.TaskEndpoint;
import org.jspecify.annotations.Nullable;

/**
 * Every {@code @TaskHandler} of the application, by task name. A task has exactly one
 * handler: a second one is a start-up error naming both.
 */
public class TaskEndpointRegistry implements TaskRouter {

	private final Map<String, TaskEndpoint> endpoints = new ConcurrentHashMap<>();

	public void register(TaskEndpoint endpoint) {
		TaskEndpoint existing = this.endpoints.putIfAbsent(endpoint.task(), endpoint);
		if (existing != null) {
			throw new IllegalStateException("Task '" + endpoint.task() + "' has two handlers: " + existing.description()
					+ " and " + endpoint.description() + ". A task must have exactly one @TaskHandler.");
		}
	}

	public @Nullable TaskEndpoint endpoint(String task) {
		return this.endpoints.get(task);
	}

	/** The queues that have at least one handler, sorted. */
	public Set<String> queues() {
		Set<String> queues = new TreeSet<>();
		this.endpoints.values().forEach((endpoint) -> queues.add(endpoint.queue()));
		return queues;
	}

	/** The tasks whose handlers listen on the queue, sorted. */
	Set<String> tasks(String queue) {
		Set<String> tasks = new TreeSet<>();
		this.endpoints.values().forEach((endpoint) -> {
			if (endpoint.queue().equals(queue)) {
				tasks.add(endpoint.task());
			}
		});
		return tasks;
	}

	@Override
	public @Nullable String queueOf(String task) {
		TaskEndpoint endpoint = this.endpoints.get(task);
		return (endpoint != null) ? endpoint.queue() : null;
	}

	@Override
	public boolean isTracked(String task) {
		TaskEndpoint endpoint = this.endpoints.get(task);
		return endpoint != null && endpoint.tracked();
	}

}
