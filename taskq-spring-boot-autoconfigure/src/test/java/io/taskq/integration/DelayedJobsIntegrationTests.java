package io.taskq.integration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
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
 * Semantic 4: delayed jobs wait in a sorted set and are promoted when due, exactly once
 * however many promoters run, by promoters that sleep until the next due time and are
 * woken early by a sooner job.
 */
class DelayedJobsIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	static final Map<String, Long> startedAt = new ConcurrentHashMap<>();

	private final JobRecorder recorder = new JobRecorder();

	@BeforeEach
	void reset() {
		startedAt.clear();
	}

	@Test
	void delayedJobRunsWhenDueAndNotBefore() {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder)) {
			JobClient jobs = app.getBean(JobClient.class);
			Instant due = Instant.now().plusMillis(1500);
			JobId id = jobs.schedule("stamp", "x", due);
			assertThat(redis.server().command("ZCARD", "taskq:{default}:delayed")).isEqualTo("1");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs(id.value()) == 1);
			assertThat(startedAt.get(id.value())).isGreaterThanOrEqualTo(due.toEpochMilli());
			JobId later = jobs.enqueueIn("stamp", "y", Duration.ofMillis(300));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs(later.value()) == 1);
			assertThat(redis.server().command("ZCARD", "taskq:{default}:delayed")).isEqualTo("0");
			assertThat(redis.server().command("HLEN", "taskq:{default}:delayed:jobs")).isEqualTo("0");
		}
	}

	/**
	 * Pins a bug: the promoter took the server's clock against the time a script call
	 * returned, so after a long call (here, promoting big jobs) every wake-up came that
	 * much late.
	 */
	@Test
	void promoterWakesOnTimeAfterALongPromotion() {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder)) {
			JobClient jobs = app.getBean(JobClient.class);
			String big = "x".repeat(200_000);
			Instant due = Instant.now().plusMillis(500);
			List<JobRequest> batch = new ArrayList<>();
			for (int i = 0; i < 800; i++) {
				batch.add(JobRequest.of("stamp", big).withRunAt(due));
			}
			List<JobId> ids = jobs.enqueueAll(batch);
			await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.distinctJobs() == ids.size());
			Instant next = Instant.now().plusMillis(1000);
			JobId id = jobs.schedule("stamp", "x", next);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs(id.value()) == 1);
			long late = startedAt.get(id.value()) - next.toEpochMilli();
			assertThat(late).isBetween(0L, 15L);
		}
	}

	@Test
	void jobScheduledInThePastRunsAtOnce() {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder)) {
			JobId id = app.getBean(JobClient.class).schedule("stamp", "x", Instant.now().minusSeconds(60));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(id.value()) == 1);
		}
	}

	@Test
	void sleepingPromoterIsWokenBySoonerJobFromAnotherInstance() throws Exception {
		// The promoter would sleep up to a minute; only the wake-up message can make it
		// run sooner.
		try (ConfigurableApplicationContext worker = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.delayed.max-interval=60s");
				ConfigurableApplicationContext producer = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
						"taskq.listener.enabled=false")) {
			JobClient jobs = producer.getBean(JobClient.class);
			jobs.enqueueIn("stamp", "far", Duration.ofHours(1));
			Thread.sleep(300);
			JobId soon = jobs.enqueueIn("stamp", "soon", Duration.ofMillis(500));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(soon.value()) == 1);
			assertThat(redis.server().command("ZCARD", "taskq:{default}:delayed")).isEqualTo("1");
		}
	}

	// Batches of 50, then 200 per script call: both sizes a round goes through.
	@Test
	void manyPromotersPromoteEachDueJobExactlyOnce() {
		List<ConfigurableApplicationContext> apps = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				apps.add(TaskqApp.start(redis.server(), Handlers.class, this.recorder, "taskq.delayed.batch-size=200"));
			}
			Instant due = Instant.now().plusSeconds(2);
			List<JobRequest> requests = new ArrayList<>();
			for (int i = 0; i < 2000; i++) {
				requests.add(JobRequest.of("stamp", "n" + i).withRunAt(due));
			}
			List<JobId> ids = apps.get(0).getBean(JobClient.class).enqueueAll(requests);
			await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.totalRuns() >= 2000);
			assertThat(this.recorder.distinctJobs()).isEqualTo(2000);
			assertThat(this.recorder.duplicates()).isEmpty();
			assertThat(this.recorder.jobIds())
				.containsExactlyInAnyOrderElementsOf(ids.stream().map(JobId::value).toList());
			assertThat(startedAt.values())
				.allSatisfy((started) -> assertThat(started).isGreaterThanOrEqualTo(due.toEpochMilli()));
		}
		finally {
			apps.forEach(ConfigurableApplicationContext::close);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		@TaskHandler("stamp")
		void stamp(String payload, JobContext context) {
			startedAt.putIfAbsent(context.jobId().value(), System.currentTimeMillis());
			this.recorder.record(context.jobId().value());
		}

	}

}
