package io.taskq.client;

import io.taskq.JobId;
import io.taskq.TaskqException;

/**
 * Fails a {@link JobClient#whenFinished} wait for a job Redis holds no state record of:
 * the job was not tracked, was never enqueued on that queue, or its record expired. Such
 * a wait could never end.
 */
public class JobNotTrackedException extends TaskqException {

	private final String queue;

	private final JobId jobId;

	public JobNotTrackedException(String queue, JobId jobId) {
		super("Job " + jobId + " on queue '" + queue + "' is not tracked (no state record: it was enqueued"
				+ " without tracking, never enqueued on this queue, or its record expired after taskq.tracking.ttl),"
				+ " so its end cannot be awaited; to await a job, enqueue it with JobRequest.withTracking(), or"
				+ " mark its handler @TaskHandler(track = \"true\") in the application that enqueues it");
		this.queue = queue;
		this.jobId = jobId;
	}

	public String getQueue() {
		return this.queue;
	}

	public JobId getJobId() {
		return this.jobId;
	}

}
