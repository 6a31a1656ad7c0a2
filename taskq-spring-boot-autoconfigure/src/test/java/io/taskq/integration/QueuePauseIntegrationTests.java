package io.taskq.integration;

import java.time.Duration;

import io.taskq.boot.actuate.endpoint.TaskqEndpoint;
import io.taskq.client.JobClient;
import io.taskq.client.QueueControl;
import io.taskq.listener.ListenerContainerRegistry;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

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

	private final TaskqAppRunner apps = new TaskqAppRunner(redis, RecordHandler.class, this.recorder)
		.withProperties("management.endpoints.web.exposure.include=taskq");

	@Test
	void pausedQueueRunsNothingOnAnyInstanceUntilResumed() throws Exception {
		try (ConfigurableApplicationContext first = this.apps.start()) {
			QueueControl control = first.getBean(QueueControl.class);
			first.getBean(TaskqEndpoint.class).control("default", "pause");
			assertThat(control.isPaused("default")).isTrue();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> first.getBean(ListenerContainerRegistry.class).isPaused("default"));
			try (ConfigurableApplicationContext second = this.apps.start()) {
				await().atMost(Duration.ofSeconds(5))
					.until(() -> second.getBean(ListenerContainerRegistry.class).isPaused("default"));
				JobClient jobs = first.getBean(JobClient.class);
				RecordHandler.enqueue(jobs, 5);
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

}
