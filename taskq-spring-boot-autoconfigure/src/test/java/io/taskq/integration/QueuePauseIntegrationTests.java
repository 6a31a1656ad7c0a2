package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.boot.actuate.endpoint.TaskqEndpoint;
import io.taskq.client.JobClient;
import io.taskq.client.QueueControl;
import io.taskq.listener.ListenerContainerRegistry;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pausing a queue stops every instance fetching from it (also instances started while it
 * is paused); jobs enqueued meanwhile wait in Redis and run after resume.
 */
class QueuePauseIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final JobRecorder recorder = new JobRecorder();

	@BeforeEach
	void flush() {
		redis.flushAll();
	}

	@Test
	void pausedQueueRunsNothingOnAnyInstanceUntilResumed() throws Exception {
		String[] properties = { "management.endpoints.web.exposure.include=taskq" };
		try (ConfigurableApplicationContext first = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				properties)) {
			QueueControl control = first.getBean(QueueControl.class);
			first.getBean(TaskqEndpoint.class).control("default", "pause");
			assertThat(control.isPaused("default")).isTrue();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> first.getBean(ListenerContainerRegistry.class).isPaused("default"));
			try (ConfigurableApplicationContext second = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
					properties)) {
				await().atMost(Duration.ofSeconds(5))
					.until(() -> second.getBean(ListenerContainerRegistry.class).isPaused("default"));
				JobClient jobs = first.getBean(JobClient.class);
				List<JobId> ids = new ArrayList<>();
				for (int i = 0; i < 5; i++) {
					ids.add(jobs.enqueue("record", "n" + i));
				}
				// Absence can only be shown by waiting: a second is many fetch turns.
				Thread.sleep(1000);
				assertThat(this.recorder.totalRuns()).isZero();
				assertThat(second.getBean(TaskqEndpoint.class).queue("default").paused()).isTrue();
				second.getBean(TaskqEndpoint.class).control("default", "resume");
				await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.distinctJobs() == 5);
				assertThat(this.recorder.duplicates()).isEmpty();
				assertThat(control.isPaused("default")).isFalse();
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		@TaskHandler("record")
		void record(String payload, JobContext context) {
			this.recorder.record(context.jobId().value());
		}

	}

}
