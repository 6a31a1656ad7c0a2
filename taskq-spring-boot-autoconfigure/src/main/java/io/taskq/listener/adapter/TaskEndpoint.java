package io.taskq.listener.adapter;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * One handler: the task it handles, the queue it listens on, and how to invoke it.
 *
 * @param task the task name
 * @param queue the queue
 * @param maxRetries the handler's retry limit, or {@code null} for the global one
 * @param slowThreshold the handler's slow-task threshold, or {@code null} for the global
 * one
 * @param timeout how long a run may take before it is interrupted and failed, or
 * {@code null} for no limit
 * @param tracked whether every job of the task has its state recorded (also when the
 * method returns a value, which is kept as the job's result)
 * @param concurrencyLimit the most jobs of the task (per concurrency key, when jobs give
 * one) that run at once across all instances, 0 for no limit
 * @param invoker the prepared invoker
 * @param description the bean and method, for messages
 */
public record TaskEndpoint(String task, String queue, @Nullable Integer maxRetries, @Nullable Duration slowThreshold,
		@Nullable Duration timeout, boolean tracked, int concurrencyLimit, HandlerMethodInvoker invoker,
		String description) {

	/** An endpoint with no timeout, tracking or concurrency limit. */
	public TaskEndpoint(String task, String queue, @Nullable Integer maxRetries, @Nullable Duration slowThreshold,
			HandlerMethodInvoker invoker, String description) {
		this(task, queue, maxRetries, slowThreshold, null, invoker.returnsValue(), 0, invoker, description);
	}

}
