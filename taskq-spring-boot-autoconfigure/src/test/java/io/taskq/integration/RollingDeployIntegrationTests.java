package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16, point 15: in a rolling deploy, producers of a new task start before every
 * worker has its handler. A job fetched by an instance without its handler waits for one
 * that has it, without spending attempts, and goes to the dead letters only after
 * {@code taskq.unhandled-task-grace}. Before the fix such jobs were dead at once.
 */
@ExtendWith(OutputCaptureExtension.class)
class RollingDeployIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final JobRecorder recorder = new JobRecorder();

	@Test
	void jobsOfATaskOneInstanceLacksRunOnceOnTheInstanceWithItsHandler(CapturedOutput output) {
		try (ConfigurableApplicationContext oldVersion = TaskqApp.start(redis.server(), WithoutNewTask.class,
				this.recorder, "taskq.consumer-name=old-version");
				ConfigurableApplicationContext newVersion = TaskqApp.start(redis.server(), WithNewTask.class,
						this.recorder, "taskq.consumer-name=new-version")) {
			JobClient jobs = newVersion.getBean(JobClient.class);
			List<JobId> ids = new ArrayList<>();
			for (int i = 0; i < 60; i++) {
				ids.add(jobs.enqueue("new.task", i));
			}
			DeadJobs dead = oldVersion.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> this.recorder.distinctJobs() + dead.count("default") == ids.size());
			assertThat(dead.count("default")).isZero();
			assertThat(this.recorder.jobIds())
				.containsExactlyInAnyOrderElementsOf(ids.stream().map(JobId::value).toList());
			assertThat(this.recorder.duplicates()).isEmpty();
			// The old version did fetch some and gave them back.
			assertThat(output).containsOnlyOnce("Task 'new.task' of queue 'default' has no handler on this instance");
			assertThat(output).contains("handled by 'new-version'");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> redis.server().command("ZCARD", "taskq:{default}:delayed").equals("0"));
			assertThat(redis.server().command("HKEYS", "taskq:{default}:handlers").split("\n"))
				.containsExactlyInAnyOrder("old.task", "new.task");
		}
	}

	@Test
	void jobWithoutAHandlerAnywhereIsDeadAfterTheGraceWithoutSpendingAttempts() {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), WithoutNewTask.class, this.recorder,
				"taskq.consumer-name=old-version", "taskq.unhandled-task-grace=2s")) {
			JobId id = app.getBean(JobClient.class)
				.submit(JobRequest.of("new.task", 1).withJobId(JobId.of("lonely")).withMaxRetries(0));
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> dead.count("default") == 1);
			DeadJob job = dead.list("default", 0, 1).get(0);
			assertThat(job.id()).isEqualTo(id);
			assertThat(Duration.between(job.enqueuedAt(), job.failedAt()))
				.isGreaterThanOrEqualTo(Duration.ofSeconds(2));
			assertThat(job.attempts()).isZero();
			assertThat(job.reason()).startsWith("no handler for task 'new.task' on queue 'default'")
				.contains("waited 2.")
				.contains("taskq.unhandled-task-grace")
				.contains("no instance reports a handler for it")
				.contains("'old.task' (by 'old-version'")
				.contains("deploy a handler");
			assertThat(this.recorder.runs("lonely")).isZero();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class WithoutNewTask {

		@Autowired
		JobRecorder recorder;

		@TaskHandler("old.task")
		void old(int value, JobContext context) {
			this.recorder.record(context.jobId().value());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WithNewTask {

		@Autowired
		JobRecorder recorder;

		@TaskHandler("old.task")
		void old(int value, JobContext context) {
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler("new.task")
		void added(int value, JobContext context) {
			this.recorder.record(context.jobId().value());
		}

	}

}
