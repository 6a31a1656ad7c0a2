package io.taskq.test;

import java.util.List;

import io.taskq.JobId;
import io.taskq.JobState;
import io.taskq.client.JobClient;
import io.taskq.test.ReminderApplication.Handlers;
import io.taskq.test.ReminderApplication.Reminder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Inline mode: no Redis, each handler run in the caller's thread at enqueue with the
 * payload's JSON round trip.
 */
@SpringBootTest(classes = ReminderApplication.class,
		properties = { "spring.data.redis.port=1", "taskq.retry.max-retries=2" })
@TaskqTest(mode = TaskqTest.Mode.INLINE)
class TaskqTestInlineModeTests {

	@Autowired
	JobClient jobs;

	@Autowired
	CapturedJobs captured;

	@Autowired
	Handlers handlers;

	@AfterEach
	void clear() {
		this.captured.clear();
		this.handlers.reminded.clear();
		this.handlers.threads.clear();
		this.handlers.maxAttempts.clear();
	}

	@Test
	void runsTheHandlerInTheCallersThreadWithThePayloadReadBackFromJson() {
		this.jobs.enqueue("reminder.send", new Reminder("ada", "renew"));
		assertThat(this.handlers.reminded).containsExactly("ada:renew");
		assertThat(this.handlers.threads).containsExactly(Thread.currentThread().getName());
		// The application's retry limit, as a worker would report it.
		assertThat(this.handlers.maxAttempts).containsExactly(3);
	}

	@Test
	void keepsTheResultOfAHandlerThatReturnsOne() {
		JobId id = this.jobs.enqueue("report.count", List.of("a", "b", "c"));
		assertThat(this.jobs.status("reports", id).state()).isEqualTo(JobState.SUCCEEDED);
		assertThat(this.jobs.result("reports", id, Integer.class)).contains(3);
	}

	@Test
	void aFailureReachesTheCallerAndTheJobIsDead() {
		assertThatIllegalStateException().isThrownBy(() -> this.jobs.enqueue("import.run", "a.csv"))
			.withMessage("cannot read a.csv");
		JobId id = this.captured.jobs("import.run").get(0).id();
		assertThat(this.jobs.status("default", id).state()).isEqualTo(JobState.DEAD);
	}

	@Test
	void aTaskWithoutAHandlerHereFailsNamingIt() {
		assertThatIllegalStateException().isThrownBy(() -> this.jobs.enqueue("elsewhere.task", "x"))
			.withMessageContaining("No @TaskHandler for task 'elsewhere.task'");
	}

}
