package io.taskq.integration;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.taskq.JobId;
import io.taskq.JobState;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.JobClient;
import io.taskq.client.JobNotTrackedException;
import io.taskq.client.JobRequest;
import io.taskq.client.JobStatus;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 5, point 6: job states and results, kept for a time-to-live, awaited with a
 * future; and plain jobs paying no extra Redis write for it.
 */
class JobStatusIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final JobRecorder recorder = new JobRecorder();

	private final TaskqAppRunner apps = new TaskqAppRunner(redis, Handlers.class, this.recorder)
		.withProperties("taskq.retry.delay=100ms", "taskq.retry.jitter=0ms", "taskq.retry.max-retries=1");

	@Test
	void handlerReturningValueIsTrackedAndItsResultAwaited() throws Exception {
		try (ConfigurableApplicationContext app = this.apps.start("taskq.tracking.ttl=1h")) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId id = jobs.enqueue("square", 12);
			JobStatus finished = jobs.whenFinished("default", id).get(10, TimeUnit.SECONDS);
			assertThat(finished.state()).isEqualTo(JobState.SUCCEEDED);
			assertThat(finished.attempt()).isEqualTo(1);
			assertThat(finished.result()).isEqualTo("{\"value\":144}");
			assertThat(jobs.result("default", id, Square.class)).contains(new Square(144));
			long ttl = Long.parseLong(redis.server().command("PTTL", "taskq:{default}:job:" + id));
			assertThat(ttl).isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
		}
	}

	@Test
	void trackedJobGoesThroughItsStates() throws Exception {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobClient jobs = app.getBean(JobClient.class);
			Instant submitted = Instant.now();
			JobId scheduled = jobs.submit(JobRequest.of("record", "x").withDelay(Duration.ofSeconds(2)).withTracking());
			Instant returned = Instant.now();
			JobStatus before = jobs.status("default", scheduled);
			assertThat(before.state()).isEqualTo(JobState.SCHEDULED);
			assertThat(before.dueAt()).isBetween(submitted.plusSeconds(2).truncatedTo(ChronoUnit.MILLIS),
					returned.plusSeconds(2));
			JobId failing = jobs.submit(JobRequest.of("broken", "x").withTracking());
			assertThat(jobs.whenFinished("default", failing).get(10, TimeUnit.SECONDS).state())
				.isEqualTo(JobState.DEAD);
			JobStatus dead = jobs.status("default", failing);
			assertThat(dead.attempt()).isEqualTo(2);
			assertThat(dead.error()).contains("always broken");
			assertThat(jobs.whenFinished("default", scheduled).get(10, TimeUnit.SECONDS).state())
				.isEqualTo(JobState.SUCCEEDED);
			assertThat(this.recorder.runs(scheduled.value())).isEqualTo(1);
		}
	}

	@Test
	void retryingAndRunningStatesAreVisible() {
		try (ConfigurableApplicationContext app = this.apps.start("taskq.retry.delay=2s")) {
			JobClient jobs = app.getBean(JobClient.class);
			Instant submitted = Instant.now();
			JobId id = jobs.submit(JobRequest.of("broken", "x").withTracking());
			await().atMost(Duration.ofSeconds(5)).until(() -> jobs.status("default", id).state() == JobState.RETRYING);
			JobStatus retrying = jobs.status("default", id);
			// The first retry waits the configured 2 s, without jitter.
			assertThat(retrying.dueAt()).isBetween(submitted.plusSeconds(2).truncatedTo(ChronoUnit.MILLIS),
					Instant.now().plusSeconds(2));
			assertThat(retrying.error()).contains("always broken");
			JobId slow = jobs.submit(JobRequest.of("slow", 1500).withTracking());
			await().atMost(Duration.ofSeconds(5)).until(() -> jobs.status("default", slow).state() == JobState.RUNNING);
		}
	}

	@Test
	void producerElsewhereAwaitsJobsOfAnotherApplication() throws Exception {
		try (ConfigurableApplicationContext producer = this.apps.start("taskq.listener.enabled=false");
				ConfigurableApplicationContext worker = this.apps.start()) {
			JobClient jobs = producer.getBean(JobClient.class);
			List<JobId> ids = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				ids.add(jobs.submit(JobRequest.of("square", i).withQueue("default").withTracking()));
			}
			for (int i = 0; i < 20; i++) {
				JobStatus status = jobs.whenFinished("default", ids.get(i)).get(10, TimeUnit.SECONDS);
				assertThat(status.result()).isEqualTo("{\"value\":" + (i * i) + "}");
			}
		}
	}

	@Test
	void untrackedJobsWriteNoStateAndReadAsUnknown() {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobClient jobs = app.getBean(JobClient.class);
			redis.server().command("CONFIG", "RESETSTAT");
			List<JobId> ids = RecordHandler.enqueue(jobs, 100);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.distinctJobs() == 100);
			assertThat(jobs.status("default", ids.get(0)).state()).isEqualTo(JobState.UNKNOWN);
			assertThat(redis.server().command("KEYS", "taskq:{default}:job:*")).isEmpty();
			String stats = redis.server().command("INFO", "commandstats");
			assertThat(stats).doesNotContain("cmdstat_hset").doesNotContain("cmdstat_publish").contains("cmdstat_xack");
		}
	}

	/**
	 * Issue 16, point 9: awaiting a job without a state record waited forever. It fails
	 * at once, saying how to track the job; a tracked job not yet run is not mistaken for
	 * one (its record is written with the enqueue).
	 */
	@Test
	void awaitingUntrackedJobFailsAtOnceSayingHowToTrackIt() {
		try (ConfigurableApplicationContext producer = this.apps.start("taskq.listener.enabled=false")) {
			JobClient jobs = producer.getBean(JobClient.class);
			JobId untracked = jobs.enqueue("record", "x");
			CompletableFuture<JobStatus> never = jobs.whenFinished("default", untracked);
			assertThat(never).failsWithin(Duration.ofSeconds(2))
				.withThrowableOfType(ExecutionException.class)
				.withCauseInstanceOf(JobNotTrackedException.class)
				.withMessageContaining(untracked.value())
				.withMessageContaining("not tracked")
				.withMessageContaining("JobRequest.withTracking()")
				.withMessageContaining("@TaskHandler(track = \"true\")");
			JobId tracked = jobs.submit(JobRequest.of("record", "y").withTracking());
			CompletableFuture<JobStatus> waiting = jobs.whenFinished("default", tracked);
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
			try (ConfigurableApplicationContext worker = this.apps.start()) {
				assertThat(waiting).succeedsWithin(Duration.ofSeconds(10))
					.extracting(JobStatus::state)
					.isEqualTo(JobState.SUCCEEDED);
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import(RecordHandler.class)
	static class Handlers {

		@TaskHandler("square")
		Square square(int value) {
			return new Square(value * value);
		}

		@TaskHandler("broken")
		void broken(String payload) {
			throw new IllegalStateException("always broken");
		}

		@TaskHandler("slow")
		void slow(int millis) throws InterruptedException {
			Thread.sleep(millis);
		}

	}

	record Square(int value) {
	}

}
