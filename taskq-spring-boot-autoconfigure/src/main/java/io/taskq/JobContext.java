package io.taskq;

import java.time.Instant;
import java.util.Map;

/**
 * What a handler may know about the job it runs. Declare a parameter of this type on a
 * {@link io.taskq.annotation.TaskHandler @TaskHandler} method to receive it.
 */
public interface JobContext {

	JobId jobId();

	String task();

	String queue();

	/** The attempt being run, starting at 1. */
	int attempt();

	/** The most attempts this job gets before it is dead-lettered. */
	int maxAttempts();

	/** When the job was first enqueued (retries keep it). */
	Instant enqueuedAt();

	/** Headers given at enqueue time, never {@code null}. */
	Map<String, String> headers();

	/**
	 * Whether someone asked to cancel this job while it runs. The worker thread is
	 * interrupted too; a handler that loops without blocking calls should check this.
	 */
	boolean isCancellationRequested();

}
