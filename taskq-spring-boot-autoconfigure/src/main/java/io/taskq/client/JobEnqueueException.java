package io.taskq.client;

import java.util.List;

import io.taskq.JobId;
import io.taskq.TaskqException;
import org.jspecify.annotations.Nullable;

/**
 * Redis did not confirm that it stored a job. {@link #getOutcome()} says whether the job
 * is known not to be stored ({@link Outcome#REFUSED}: sending it again cannot double it)
 * or may have been ({@link Outcome#UNKNOWN}: it may run); {@link #getJobIds()} names the
 * jobs the failed call carried. For a bulk call, jobs of earlier batches were stored.
 * <p>
 * An outcome rather than two subclasses: callers decide on the outcome in one place
 * ({@code switch (ex.getOutcome())}), and code that catches this type or
 * {@link RedisCapacityException} (always refused) keeps working unchanged.
 */
public class JobEnqueueException extends TaskqException {

	private final Outcome outcome;

	private final List<JobId> jobIds;

	/** A failure whose outcome is unknown, naming no job. */
	public JobEnqueueException(String message, @Nullable Throwable cause) {
		this(message, Outcome.UNKNOWN, List.of(), cause);
	}

	public JobEnqueueException(String message, Outcome outcome, List<JobId> jobIds, @Nullable Throwable cause) {
		super(message, cause);
		this.outcome = outcome;
		this.jobIds = List.copyOf(jobIds);
	}

	/** Whether the jobs may have been stored. */
	public Outcome getOutcome() {
		return this.outcome;
	}

	/** The ids of the jobs the failed call carried, in the order given. */
	public List<JobId> getJobIds() {
		return this.jobIds;
	}

	/** What a failed enqueue left in Redis. */
	public enum Outcome {

		/**
		 * Not stored: Redis answered with an error (full at maxmemory, a key of the wrong
		 * type) or no connection could be made before anything was sent.
		 */
		REFUSED,

		/**
		 * Maybe stored: the command may have reached Redis, but no answer came (a
		 * timeout, a connection lost after the command was written). The job may run.
		 * Enqueueing it again with the same explicit {@link JobId} adds it at most once;
		 * a job whose id was generated holds no id record, so sending it again may run it
		 * twice.
		 */
		UNKNOWN

	}

}
