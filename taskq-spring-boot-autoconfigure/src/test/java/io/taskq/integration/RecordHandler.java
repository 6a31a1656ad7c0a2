package io.taskq.integration;

import java.util.ArrayList;
import java.util.List;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.JobClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code record} task that many integration tests enqueue: each run adds its job id
 * to the test's {@link JobRecorder}. Pass it as a test's handlers, or {@code @Import} it
 * next to the test's own.
 */
@Configuration(proxyBeanMethods = false)
class RecordHandler {

	@Autowired
	JobRecorder recorder;

	@TaskHandler("record")
	void record(String payload, JobContext context) {
		this.recorder.record(context.jobId().value());
	}

	/**
	 * Enqueues {@code count} record jobs with payloads {@code n0}, {@code n1}, ...
	 * @return their ids, in order, in a list the caller may add to
	 */
	static List<JobId> enqueue(JobClient jobs, int count) {
		List<JobId> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(jobs.enqueue("record", "n" + i));
		}
		return ids;
	}

}
