package io.taskq.test;

import java.time.Duration;
import java.util.List;

import io.taskq.JobSerializationException;
import io.taskq.JobState;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.test.ReminderApplication.Handlers;
import io.taskq.test.ReminderApplication.Reminder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Capture mode: no Redis at all (the connection points at a port nothing listens on),
 * jobs recorded with their JSON, nothing run.
 */
@SpringBootTest(classes = ReminderApplication.class, properties = "spring.data.redis.port=1")
@TaskqTest(mode = TaskqTest.Mode.CAPTURE)
class TaskqTestCaptureModeTests {

	@Autowired
	JobClient jobs;

	@Autowired
	CapturedJobs captured;

	@Autowired
	Handlers handlers;

	@AfterEach
	void clear() {
		this.captured.clear();
	}

	@Test
	void recordsJobsWithTheirQueueAndPayloadAndRunsNothing() {
		this.jobs.enqueueIn("reminder.send", new Reminder("ada", "renew"), Duration.ofDays(3));
		this.jobs.enqueue("report.count", List.of("a", "b"));
		assertThat(this.jobs).isSameAs(this.captured);
		assertThat(this.captured.jobs()).extracting(CapturedJob::task, CapturedJob::queue)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("reminder.send", "default"),
					org.assertj.core.groups.Tuple.tuple("report.count", "reports"));
		assertThat(this.captured.payloads("reminder.send", Reminder.class))
			.containsExactly(new Reminder("ada", "renew"));
		assertThat(this.captured.jobs("reminder.send").get(0).request().runAt()).isNotNull();
		assertThat(this.jobs.status("default", this.captured.jobs().get(0).id()).state()).isEqualTo(JobState.SCHEDULED);
		assertThat(this.handlers.reminded).isEmpty();
	}

	@Test
	void aPayloadThatCannotBeWrittenFailsAtTheCall() {
		assertThatExceptionOfType(JobSerializationException.class)
			.isThrownBy(() -> this.jobs.submit(JobRequest.of("reminder.send", new Unwritable())));
		assertThat(this.captured.jobs()).isEmpty();
	}

	@Test
	void whenFinishedSaysCaptureModeRunsNothing() {
		var id = this.jobs.enqueue("reminder.send", new Reminder("ada", "x"));
		assertThat(this.jobs.whenFinished("default", id)).failsWithin(Duration.ofSeconds(1))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withMessageContaining("jobs are recorded, not run");
	}

	/** Jackson calls the getter, which fails: the payload cannot be written. */
	static class Unwritable {

		public String getText() {
			throw new IllegalStateException("not today");
		}

	}

}
