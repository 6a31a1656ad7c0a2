package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.taskq.JobContext;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.testing.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jobs that finish while an older one still runs cannot be trimmed off the stream yet;
 * they are deleted a moment later, so a long job never makes the stream hold finished
 * entries for long.
 */
class FinishedEntriesIntegrationTests {

	private final JobRecorder recorder = new JobRecorder();

	@Test
	void finishedEntriesBehindALongJobLeaveTheStreamSoon() throws InterruptedException {
		Handlers.release = new CountDownLatch(1);
		try (RedisServer redis = RedisServer.start();
				ConfigurableApplicationContext app = TaskqApp.start(redis, Handlers.class, this.recorder,
						"taskq.concurrency=8")) {
			JobClient jobs = app.getBean(JobClient.class);
			jobs.enqueue("long", "x");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs("long-started") == 1);
			List<JobRequest> quick = new ArrayList<>();
			for (int i = 0; i < 2000; i++) {
				quick.add(JobRequest.of("quick", "x"));
			}
			jobs.enqueueAll(quick);
			await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.distinctJobs() == 2001);
			// Only the long job's entry is left, within the delay plus an ack call.
			await().atMost(Duration.ofSeconds(2))
				.until(() -> "1".equals(redis.command("XLEN", "taskq:{default}:stream")));
			assertThat(redis.command("XPENDING", "taskq:{default}:stream", "taskq")).startsWith("1");
			Handlers.release.countDown();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "0".equals(redis.command("XLEN", "taskq:{default}:stream")));
			assertThat(this.recorder.duplicates()).isEmpty();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		static volatile CountDownLatch release = new CountDownLatch(0);

		@Autowired
		JobRecorder recorder;

		@TaskHandler("long")
		void longJob(String payload, JobContext context) throws InterruptedException {
			this.recorder.record("long-started");
			release.await(60, TimeUnit.SECONDS);
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler("quick")
		void quick(String payload, JobContext context) {
			this.recorder.record(context.jobId().value());
		}

	}

}
