package io.taskq.test;

import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.taskq.client.JobRequest;
import io.taskq.listener.TaskEndpointRegistry;
import io.taskq.listener.adapter.SimpleJobContext;
import io.taskq.listener.adapter.TaskEndpoint;
import org.jspecify.annotations.Nullable;

/**
 * Runs a captured job's handler in the caller's thread, for
 * {@link TaskqTest.Mode#INLINE}: the payload read back from its JSON as the handler's
 * type, the same {@code JobContext} a worker gives (attempt 1), an asynchronous handler's
 * stage awaited. A failure reaches the caller as it was thrown (a checked exception
 * wrapped in an {@link IllegalStateException}); it is not retried.
 */
final class InlineRunner {

	private final TaskEndpointRegistry endpoints;

	private final int defaultMaxRetries;

	/**
	 * @param defaultMaxRetries the application's {@code taskq.retry.max-retries}
	 */
	InlineRunner(TaskEndpointRegistry endpoints, int defaultMaxRetries) {
		this.endpoints = endpoints;
		this.defaultMaxRetries = defaultMaxRetries;
	}

	/**
	 * @return the handler's result as JSON, or {@code null} for none
	 */
	@Nullable String run(CapturedJob job) {
		TaskEndpoint endpoint = this.endpoints.endpoint(job.task());
		if (endpoint == null) {
			throw new IllegalStateException("No @TaskHandler for task '" + job.task() + "' (job " + job.id()
					+ ") in this application context; @TaskqTest(mode = INLINE) runs only this context's handlers. "
					+ "Known queues: " + this.endpoints.queues());
		}
		JobRequest request = job.request();
		int maxRetries = (request.maxRetries() != null) ? request.maxRetries()
				: (endpoint.maxRetries() != null) ? endpoint.maxRetries() : this.defaultMaxRetries;
		SimpleJobContext context = new SimpleJobContext(job.id(), job.task(), job.queue(), 1, maxRetries + 1,
				Instant.now(), request.headers(), () -> false);
		Object result;
		try {
			result = endpoint.invoker().invoke(endpoint.invoker().readPayload(job.payload()), context);
			if (result instanceof CompletionStage<?> stage) {
				result = stage.toCompletableFuture().join();
			}
		}
		catch (CompletionException ex) {
			throw rethrow(job, (ex.getCause() != null) ? ex.getCause() : ex);
		}
		catch (Exception ex) {
			throw rethrow(job, ex);
		}
		return endpoint.invoker().returnsValue() ? endpoint.invoker().writeResult(result) : null;
	}

	private static RuntimeException rethrow(CapturedJob job, Throwable failure) {
		if (failure instanceof RuntimeException runtime) {
			return runtime;
		}
		if (failure instanceof Error error) {
			throw error;
		}
		return new IllegalStateException("Job " + job.id() + " (" + job.task() + ") failed: " + failure, failure);
	}

}
