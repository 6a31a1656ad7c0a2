package io.taskq.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.taskq.JobId;
import io.taskq.JobSerializationException;
import org.jspecify.annotations.Nullable;

/**
 * Enqueues jobs. Every method returns once the job is stored in Redis, and throws a
 * {@link io.taskq.TaskqException} when that is not confirmed: a payload that cannot be
 * written ({@link JobSerializationException}), or Redis refusing the job, unreachable or
 * not answering in time ({@link JobEnqueueException}, whose
 * {@link JobEnqueueException#getOutcome() outcome} tells a job that was not stored from
 * one that may have been, and which names the job ids).
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

	/**
	 * Enqueues one job with options. A job is added at most once per call, also when the
	 * connection drops and the command is sent again.
	 * @return the job's id (for a unique job whose key is held, the holder's id)
	 * @throws JobAlreadyEnqueuedException if the request names an explicit id that a job
	 * of the queue holds (from its enqueue until ten minutes after it ended)
	 */
	JobId submit(JobRequest request);

	/**
	 * Enqueues many jobs with one Redis round trip per queue and batch of up to
	 * {@value #BATCH_SIZE} jobs (tracked and unique jobs, and jobs with explicit ids,
	 * take one round trip each).
	 * @return the job ids, in the order of the requests
	 * @throws JobAlreadyEnqueuedException after enqueueing all the others, if explicit
	 * ids of the requests are held by jobs of their queues
	 */
	List<JobId> enqueueAll(List<JobRequest> requests);

	/** The most jobs {@link #enqueueAll} sends in one round trip. */
	int BATCH_SIZE = 500;

	/**
	 * The queue a job of the task goes to when its request names none: the queue of the
	 * task's handler in this application, else the default queue.
	 */
	String queueOf(String task);

	/**
	 * Cancels a job: removes it if it waits for its due time, else asks every instance
	 * not to start it and to interrupt it if it runs.
	 */
	CancelResult cancel(String queue, JobId id);

	/**
	 * The recorded state of a tracked job (see {@link JobRequest#withTracking()}); jobs
	 * that are not tracked read as {@link io.taskq.JobState#UNKNOWN}.
	 */
	JobStatus status(String queue, JobId id);

	/**
	 * The handler's return value of a succeeded tracked job, read as {@code type}; empty
	 * when the job has not succeeded, returned nothing or its record expired.
	 */
	<T> Optional<T> result(String queue, JobId id, Class<T> type);

	/**
	 * Completes when a tracked job reaches a final state (succeeded, dead or cancelled).
	 * Costs nothing while nobody waits; bound the wait with
	 * {@link CompletableFuture#orTimeout}.
	 * <p>
	 * A job Redis holds no state record of (enqueued without tracking, never enqueued on
	 * this queue, or its record expired) fails the future at once with a
	 * {@link JobNotTrackedException} that says how to track it, rather than completing
	 * with {@link io.taskq.JobState#UNKNOWN}: the future stands for the job's end, which
	 * cannot be observed (as BullMQ's {@code waitUntilFinished} rejects for a job it has
	 * no key of), and a status that is not final would read as one. A job is tracked when
	 * it is enqueued with {@link JobRequest#withTracking()} or its handler in the
	 * enqueueing application is tracked ({@code @TaskHandler(track = "true")}, or it
	 * returns a value); its record is written in the same atomic step as the job, so a
	 * tracked job is never mistaken for an untracked one once its enqueue has returned.
	 */
	CompletableFuture<JobStatus> whenFinished(String queue, JobId id);

}
