package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.NonRetryableJobException;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 18: the dead letters are bounded, as Sidekiq's are. The dead-letter script
 * removes jobs dead longer than {@code taskq.dead-letters.max-age}, then the oldest
 * beyond {@code max-count}, with their records and task index entries, and the number
 * removed is counted by the {@code taskq.dead.trimmed} meter.
 */
class DeadLetterBoundsIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final JobRecorder recorder = new JobRecorder();

	@Test
	void theOldestDeadJobsBeyondTheMaximumCountAreRemovedAndCounted() {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.dead-letters.max-count=3")) {
			JobClient jobs = app.getBean(JobClient.class);
			DeadJobs dead = app.getBean(DeadJobs.class);
			List<JobId> ids = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				ids.add(jobs.enqueue("poison", i));
				int expected = Math.min(i + 1, 3);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.distinctJobs() == ids.size());
				await().atMost(Duration.ofSeconds(10))
					.until(() -> dead.count("default") == expected
							&& dead.list("default", 0, 1).get(0).id().equals(ids.get(ids.size() - 1)));
			}
			assertThat(dead.list("default", 0, 10).stream().map(DeadJob::id)).containsExactly(ids.get(4), ids.get(3),
					ids.get(2));
			assertThat(redis.server().command("HLEN", "taskq:{default}:dead:jobs")).isEqualTo("3");
			assertThat(redis.server().command("ZCARD", "taskq:{default}:dead:task:poison")).isEqualTo("3");
			assertThat(app.getBean(MeterRegistry.class).counter("taskq.dead.trimmed", "queue", "default").count())
				.isEqualTo(2);
		}
	}

	@Test
	void deadJobsOlderThanTheMaximumAgeAreRemovedWhenTheNextOneDies() throws InterruptedException {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.dead-letters.max-age=1s")) {
			JobClient jobs = app.getBean(JobClient.class);
			DeadJobs dead = app.getBean(DeadJobs.class);
			jobs.enqueue("poison", 1);
			jobs.enqueue("poison", 2);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 2);
			Thread.sleep(1200);
			JobId young = jobs.enqueue("poison", 3);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 1);
			assertThat(dead.list("default", 0, 10).get(0).id()).isEqualTo(young);
			assertThat(redis.server().command("ZCARD", "taskq:{default}:dead:task:poison")).isEqualTo("1");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		@TaskHandler(value = "poison", maxRetries = "0")
		void poison(int n, JobContext context) {
			this.recorder.record(context.jobId().value());
			throw new NonRetryableJobException("poison " + n);
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
