package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.JobClient;
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
 * Semantic 9: closing the context stops fetching, lets running jobs finish within the
 * shutdown timeout and acknowledges them; what is still running after it stays pending
 * and is reclaimed later.
 */
class GracefulShutdownIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	static final AtomicInteger started = new AtomicInteger();

	private final JobRecorder recorder = new JobRecorder();

	@BeforeEach
	void reset() {
		started.set(0);
	}

	@Test
	void runningJobsFinishAndAreAcknowledgedOnClose() {
		List<JobId> ids = new ArrayList<>();
		ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.concurrency=5");
		try {
			JobClient jobs = app.getBean(JobClient.class);
			for (int i = 0; i < 12; i++) {
				ids.add(jobs.enqueue("sleep", 800));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 5);
		}
		finally {
			app.close();
		}
		// The five running jobs finished; the seven never fetched are still queued,
		// untouched.
		assertThat(this.recorder.totalRuns()).isEqualTo(5);
		assertThat(started.get()).isEqualTo(5);
		assertThat(redis.server().command("XPENDING", "taskq:{default}:stream", "taskq")).startsWith("0");
		assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("7");
		try (ConfigurableApplicationContext next = TaskqApp.start(redis.server(), Handlers.class, this.recorder)) {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.recorder.distinctJobs() == 12);
			assertThat(this.recorder.duplicates()).isEmpty();
		}
	}

	@Test
	void jobStillRunningAfterShutdownTimeoutStaysPendingAndIsReclaimed() {
		ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.shutdown-timeout=300ms");
		JobId id;
		try {
			id = app.getBean(JobClient.class).enqueue("sleep", 5000);
			await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 1);
		}
		finally {
			app.close();
		}
		assertThat(this.recorder.runs(id.value())).isZero();
		assertThat(redis.server().command("XPENDING", "taskq:{default}:stream", "taskq")).startsWith("1");
		try (ConfigurableApplicationContext next = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.visibility-timeout=1s")) {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.recorder.runs(id.value()) == 1);
			assertThat(started.get()).isEqualTo(2);
		}
	}

	@Test
	void interruptingTheClosingThreadDoesNotCutTheWaitForRunningJobsShort() throws Exception {
		ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.concurrency=2");
		JobClient jobs = app.getBean(JobClient.class);
		jobs.enqueue("sleep", 1500);
		jobs.enqueue("sleep", 1500);
		await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 2);
		Thread closer = new Thread(app::close);
		closer.start();
		Thread.sleep(300);
		closer.interrupt();
		closer.join(30_000);
		// Both jobs finished and were acknowledged before close returned.
		assertThat(closer.isAlive()).isFalse();
		assertThat(this.recorder.totalRuns()).isEqualTo(2);
		assertThat(redis.server().command("XPENDING", "taskq:{default}:stream", "taskq")).startsWith("0");
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		@TaskHandler("sleep")
		void sleep(Integer millis, JobContext context) throws InterruptedException {
			started.incrementAndGet();
			Thread.sleep(millis);
			this.recorder.record(context.jobId().value());
		}

	}

}
