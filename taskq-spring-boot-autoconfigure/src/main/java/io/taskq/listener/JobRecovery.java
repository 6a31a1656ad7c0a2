package io.taskq.listener;

import java.time.Instant;

import io.taskq.retry.DeadLetteringRecoverer;
import io.taskq.retry.FailedJob;
import io.taskq.retry.JobRecoverer;
import io.taskq.support.JobMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Hands a job that failed for the last time to the application's {@link JobRecoverer}, on
 * the thread that decided the failure. Never throws: a recoverer that fails is logged and
 * the job goes to the dead letters, so no job is lost to it. The default,
 * {@link DeadLetteringRecoverer}, is not called: the outcome writer writes its dead
 * letter as it writes every outcome.
 */
final class JobRecovery {

	private static final Log logger = LogFactory.getLog(JobRecovery.class);

	/** {@code null} when failed jobs go to the dead letters, the default. */
	private final @Nullable JobRecoverer recoverer;

	private final String queue;

	JobRecovery(JobRecoverer recoverer, String queue) {
		this.recoverer = (recoverer instanceof DeadLetteringRecoverer) ? null : recoverer;
		this.queue = queue;
	}

	/**
	 * Calls the recoverer, if the application has one.
	 * @param reason why the job is not retried, as its dead letter would record it
	 * @param loggableReason the same without what must not reach logs (a payload)
	 * @param attempts how many times the job ran
	 * @return {@code null} if the recoverer finished the job; else the reason to
	 * dead-letter it with (the given one, plus the recoverer's failure if it failed)
	 */
	@Nullable String recover(JobMessage job, String reason, String loggableReason, Throwable error, int attempts) {
		JobRecoverer recoverer = this.recoverer;
		if (recoverer == null) {
			return reason;
		}
		FailedJob failed = new FailedJob(job.id(), this.queue, job.task(), job.payload(), attempts, reason,
				Instant.ofEpochMilli(job.createdAt()), job.headers());
		try {
			recoverer.recover(failed, error);
		}
		catch (DeadLetteringRecoverer.DeadLetterRequestedException ex) {
			return reason;
		}
		catch (Throwable ex) {
			logger.error(describe(job) + ": recoverer " + recoverer + " failed; the job goes to the dead letters", ex);
			return reason + "; the recoverer failed: " + ex;
		}
		logger.warn(describe(job) + " " + loggableReason + "; recoverer " + recoverer + " handled it");
		return null;
	}

	private String describe(JobMessage job) {
		return "Job " + job.id() + " (" + job.task() + " on queue " + this.queue + ")";
	}

}
