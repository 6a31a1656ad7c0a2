package io.taskq.support;

import java.util.Locale;

import io.taskq.JobId;

/**
 * One run of a handler, as observers see it. Times are epoch millis on this JVM's clock,
 * except {@code readyAt}, which is the stream entry's id time (the Redis server's clock).
 *
 * @param queue the queue
 * @param task the task
 * @param jobId the job id
 * @param readyAt when the job became ready: enqueued, or promoted when due
 * @param dueAt when a delayed job was due, 0 for a job enqueued ready
 * @param startedAt when the handler started
 * @param durationNanos how long the handler ran
 * @param result what became of the job
 */
public record JobExecution(String queue, String task, JobId jobId, long readyAt, long dueAt, long startedAt,
		long durationNanos, Result result) {

	/**
	 * What became of a run.
	 */
	public enum Result {

		/** The handler finished. */
		SUCCESS,

		/** The handler failed; the job runs again later. */
		RETRY,

		/** The handler failed for the last time; the job is dead. */
		DEAD,

		/** The job was cancelled while it ran and the handler gave up. */
		CANCELLED,

		/**
		 * The handler failed for the last time; the application's {@code JobRecoverer}
		 * finished the job instead of the dead letters.
		 */
		RECOVERED;

		private final String tag = name().toLowerCase(Locale.ROOT);

		/** The lower-case tag value. */
		public String tag() {
			return this.tag;
		}

	}

}
