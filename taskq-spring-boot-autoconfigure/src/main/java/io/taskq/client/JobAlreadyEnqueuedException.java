package io.taskq.client;

import java.util.List;

import io.taskq.JobId;
import io.taskq.TaskqException;
import io.taskq.support.redis.QueueKeys;

/**
 * A job was enqueued with an explicit id that a job of the queue holds: that job is
 * queued, scheduled, retrying or running, or ended (succeeded, died, was cancelled) less
 * than ten minutes ago. Nothing was added.
 * <p>
 * After a {@link JobEnqueueException} of unknown outcome, a retry with the same id that
 * ends here means the first attempt did store the job.
 */
public class JobAlreadyEnqueuedException extends TaskqException {

	private final String queue;

	private final List<JobId> jobIds;

	public JobAlreadyEnqueuedException(String queue, List<JobId> jobIds, String detail) {
		super(describe(jobIds) + " on queue '" + queue + "' already queued, scheduled or running, or ended less than "
				+ QueueKeys.ID_KEPT_AFTER_END.toMinutes() + " minutes ago; not added again" + detail);
		this.queue = queue;
		this.jobIds = List.copyOf(jobIds);
	}

	private static String describe(List<JobId> jobIds) {
		return (jobIds.size() == 1) ? "Job " + jobIds.get(0) + " is" : jobIds.size() + " jobs are (ids " + jobIds + ")";
	}

	public String getQueue() {
		return this.queue;
	}

	/** The ids that were not added, in the order given. */
	public List<JobId> getJobIds() {
		return this.jobIds;
	}

}
