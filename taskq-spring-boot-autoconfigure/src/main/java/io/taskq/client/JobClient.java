package io.taskq.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.taskq.JobId;
import org.jspecify.annotations.Nullable;

/**
 * Enqueues jobs. Every method returns once the job is stored in Redis, and throws a
 * {@link io.taskq.TaskqException} when it is not: a payload that cannot be written
 * ({@link JobSerializationException}) or Redis refusing or unreachable
 * ({@link JobEnqueueException}).
 */
public interface JobClient {

	/** Enqueues a job to run now. */
	default JobId enqueue(String task, @Nullable Object payload) {
		return submit(JobRequest.of(task, payload));
	}

	/** Enqueues a job to run at an instant (now, if the instant has passed). */
	default JobId schedule(String task, @Nullable Object payload, Instant runAt) {
		return submit(JobRequest.of(task, payload).withRunAt(runAt));
	}

	/** Enqueues a job to run after a delay. */
	default JobId enqueueIn(String task, @Nullable Object payload, Duration delay) {
		return submit(JobRequest.of(task, payload).withDelay(delay));
	}

	/** Enqueues one job with options. */
	JobId submit(JobRequest request);

	/**
	 * Enqueues many jobs with one Redis round trip per queue and batch of up to
	 * {@value #BATCH_SIZE} jobs.
	 * @return the job ids, in the order of the requests
	 */
	List<JobId> enqueueAll(List<JobRequest> requests);

	/** The most jobs {@link #enqueueAll} sends in one round trip. */
	int BATCH_SIZE = 500;

}
