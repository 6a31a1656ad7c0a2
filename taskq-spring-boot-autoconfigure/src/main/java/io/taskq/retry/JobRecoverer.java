package io.taskq.retry;

/**
 * What becomes of a job that failed for the last time: its retries are used up, or its
 * error is not retryable (see {@link ErrorClassifier}). The default,
 * {@link DeadLetteringRecoverer}, moves it to the queue's dead letters. Declare a bean of
 * this type to do something else, as spring-kafka's {@code ConsumerRecordRecoverer} lets
 * a consumer do with a record that failed:
 * <ul>
 * <li>If {@code recover} returns normally, the job is finished: its stream entry is
 * acknowledged as after a success, no dead letter is written, and a tracked job's state
 * becomes {@code SUCCEEDED} (without a result).</li>
 * <li>If it throws, the exception is logged with the job's id, task and queue, and the
 * job goes to the dead letters with its own error, as without a recoverer: a job is never
 * lost because the recoverer failed. A recoverer that delegates a job to a
 * {@link DeadLetteringRecoverer} leaves it to the dead letters the same way, without the
 * log line of a failure.</li>
 * </ul>
 * It runs on the thread that ran the handler, before the job's outcome is written, so it
 * holds a worker slot while it runs; for a handler that returns a
 * {@code CompletionStage}, on the thread that completed the stage. A payload that does
 * not deserialize reaches it too, with a {@code PayloadReadException} (the raw JSON is in
 * {@link FailedJob#payload()}). Straight to the dead letters, without it, go: a malformed
 * stream entry, a job without the payload its handler takes, a task without a handler
 * after {@code taskq.unhandled-task-grace}, a job whose worker crashed in every delivery,
 * and a job whose handler ignored the interrupt at its timeout and still runs (the
 * recoverer would race it).
 * <p>
 * Only one recoverer is used: with several beans of this type and none of them
 * {@code @Primary}, none is, and jobs go to the dead letters.
 */
@FunctionalInterface
public interface JobRecoverer {

	/**
	 * Handles a job that failed for the last time.
	 * @param job the job
	 * @param error what its last attempt threw (a {@code JobTimeoutException} if it timed
	 * out)
	 * @throws Exception to leave the job to the dead letters
	 */
	void recover(FailedJob job, Throwable error) throws Exception;

}
