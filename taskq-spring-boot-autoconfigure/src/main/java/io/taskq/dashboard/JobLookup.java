package io.taskq.dashboard;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.taskq.JobId;
import io.taskq.JobState;
import io.taskq.client.JobClient;
import io.taskq.client.JobStatus;
import io.taskq.dashboard.JobDetail.Tracked;
import io.taskq.support.JobMessage;
import io.taskq.support.redis.DeadJobRecord;
import org.jspecify.annotations.Nullable;

/**
 * Finds one job by queue and id: among the dead, then the scheduled, then the tracked
 * jobs. A job that is queued or running and not tracked leaves no record taskq can find
 * by id without reading the stream, so it is not found.
 */
class JobLookup {

	private final DeadJobSearch dead;

	private final ScheduledJobSearch scheduled;

	private final JobClient jobClient;

	private final boolean showPayloads;

	JobLookup(DeadJobSearch dead, ScheduledJobSearch scheduled, JobClient jobClient, boolean showPayloads) {
		this.dead = dead;
		this.scheduled = scheduled;
		this.jobClient = jobClient;
		this.showPayloads = showPayloads;
	}

	Optional<JobDetail> find(String queue, String id) {
		JobStatus status = this.jobClient.status(queue, JobId.of(id));
		Tracked tracked = (status.state() != JobState.UNKNOWN) ? Tracked.of(status) : null;
		DeadJobRecord record = this.dead.record(queue, id);
		if (record != null) {
			JobMessage job = JobMessage.fromFields(record.job());
			return Optional.of(new JobDetail(id, queue, job.task(), "DEAD", record.attempts(), job.headers(),
					record.reason(), record.errorType(), record.stackTrace(), Instant.ofEpochMilli(job.createdAt()),
					null, Instant.ofEpochMilli(record.failedAt()), payload(job), hidden(job), tracked));
		}
		JobMessage job = this.scheduled.job(queue, id);
		if (job != null) {
			String state = (job.retries() > 0) ? "RETRYING" : "SCHEDULED";
			return Optional.of(new JobDetail(id, queue, job.task(), state, job.retries() + 1, job.headers(), null, null,
					null, Instant.ofEpochMilli(job.createdAt()), this.scheduled.dueAt(queue, id), null, payload(job),
					hidden(job), tracked));
		}
		if (tracked != null) {
			return Optional.of(new JobDetail(id, queue, null, tracked.state(), tracked.attempt(), Map.of(), null, null,
					null, null, status.dueAt(), null, null, false, tracked));
		}
		return Optional.empty();
	}

	private @Nullable String payload(JobMessage job) {
		return this.showPayloads ? job.payload() : null;
	}

	private boolean hidden(JobMessage job) {
		return !this.showPayloads && job.payload() != null;
	}

}
