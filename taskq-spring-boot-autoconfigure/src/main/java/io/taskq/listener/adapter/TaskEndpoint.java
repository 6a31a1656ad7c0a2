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
 * @param invoker the prepared invoker
 * @param description the bean and method, for messages
 */
public record TaskEndpoint(String task, String queue, @Nullable Integer maxRetries, @Nullable Duration slowThreshold,
		HandlerMethodInvoker invoker, String description) {

}
