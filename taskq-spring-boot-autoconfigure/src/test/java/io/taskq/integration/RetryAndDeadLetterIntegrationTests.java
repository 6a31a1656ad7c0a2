package io.taskq.integration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.NonRetryableJobException;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
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
 * Semantic 5: retries with backoff through the delayed set, limits from the global
 * default, the handler and the job, then dead letters that can be listed, retried and
 * deleted.
 */
class RetryAndDeadLetterIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	static volatile boolean healed;

	private final JobRecorder recorder = new JobRecorder();

	private final TaskqAppRunner apps = new TaskqAppRunner(redis, Handlers.class, this.recorder).withProperties(
			"taskq.retry.delay=100ms", "taskq.retry.multiplier=2", "taskq.retry.jitter=0ms",
			"taskq.retry.max-retries=3");

	@BeforeEach
	void reset() {
		attempts.clear();
		healed = false;
	}

	@Test
	void failingJobIsRetriedUntilItSucceeds() {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobId id = app.getBean(JobClient.class).enqueue("flaky", "x");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs(id.value()) == 1);
			assertThat(attempts.get(id.value())).hasValue(3);
			assertThat(app.getBean(DeadJobs.class).count("default")).isZero();
			assertThat(redis.server().command("ZCARD", "taskq:{default}:delayed")).isEqualTo("0");
			assertThat(redis.server().command("HLEN", "taskq:{default}:delayed:jobs")).isEqualTo("0");
		}
	}

	@Test
	void retriesThenDeadLettersAfterGlobalMaxRetries() {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobId id = app.getBean(JobClient.class).enqueue("broken", "x");
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 1);
			assertThat(attempts.get(id.value())).hasValue(4);
			DeadJob job = dead.list("default", 0, 10).get(0);
			assertThat(job.id()).isEqualTo(id);
			assertThat(job.task()).isEqualTo("broken");
			assertThat(job.attempts()).isEqualTo(4);
			assertThat(job.reason()).contains("failed on attempt 4 of 4").contains("always broken");
			assertThat(job.errorType()).isEqualTo(IllegalStateException.class.getName());
			assertThat(job.stackTrace())
				.contains("at io.taskq.integration.RetryAndDeadLetterIntegrationTests$Handlers.broken");
			assertThat(job.payload()).isEqualTo("\"x\"");
			assertThat(job.failedAt()).isAfterOrEqualTo(job.enqueuedAt());
			assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
		}
	}

	@Test
	void backoffGrowsBetweenAttempts() {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			app.getBean(JobClient.class).enqueue("broken", "timed");
			await().atMost(Duration.ofSeconds(10)).until(() -> app.getBean(DeadJobs.class).count("default") == 1);
			List<Long> times = Handlers.times;
			// Delays 100, 200, 400 ms: each gap at least its backoff, and growing.
			assertThat(times).hasSize(4);
			assertThat(times.get(1) - times.get(0)).isGreaterThanOrEqualTo(100);
			assertThat(times.get(2) - times.get(1)).isGreaterThanOrEqualTo(200);
			assertThat(times.get(3) - times.get(2)).isGreaterThanOrEqualTo(400);
		}
	}

	@Test
	void handlerAndJobOverrideTheRetryLimit() {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId handlerLimited = jobs.enqueue("brokenOnce", "x");
			JobId jobLimited = jobs.submit(JobRequest.of("broken", "y").withMaxRetries(0));
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 2);
			assertThat(attempts.get(handlerLimited.value())).hasValue(2);
			assertThat(attempts.get(jobLimited.value())).hasValue(1);
		}
	}

	@Test
	void nonRetryableFailureGoesStraightToDeadLetters() {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobId id = app.getBean(JobClient.class).enqueue("refuse", "x");
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 1);
			assertThat(attempts.get(id.value())).hasValue(1);
			assertThat(dead.list("default", 0, 1).get(0).reason()).startsWith("not retryable");
		}
	}

	@Test
	void deadJobsCanBeRetriedAndDeleted() {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobClient jobs = app.getBean(JobClient.class);
			DeadJobs dead = app.getBean(DeadJobs.class);
			JobId first = jobs.submit(JobRequest.of("flaky", "a").withMaxRetries(0));
			JobId second = jobs.submit(JobRequest.of("flaky", "b").withMaxRetries(0));
			JobId third = jobs.submit(JobRequest.of("broken", "c").withMaxRetries(0));
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 3);
			assertThat(dead.list("default", 0, 10)).extracting(DeadJob::id)
				.containsExactlyInAnyOrder(first, second, third);
			// A retried dead job starts over with its own retry limit and runs again.
			assertThat(dead.retry("default", first)).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get(first.value()).get() == 2);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 3);
			healed = true;
			assertThat(dead.retryAll("default")).isEqualTo(3);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.recorder.runs(first.value()) == 1 && this.recorder.runs(second.value()) == 1
						&& this.recorder.runs(third.value()) == 1);
			assertThat(dead.count("default")).isZero();
			healed = false;
			JobId fourth = jobs.submit(JobRequest.of("broken", "d").withMaxRetries(0));
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 1);
			assertThat(dead.delete("default", fourth)).isTrue();
			assertThat(dead.delete("default", fourth)).isFalse();
			assertThat(dead.retry("default", fourth)).isFalse();
			assertThat(dead.count("default")).isZero();
			assertThat(redis.server().command("HLEN", "taskq:{default}:dead:jobs")).isEqualTo("0");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		static final List<Long> times = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Autowired
		JobRecorder recorder;

		private int count(JobContext context) {
			return attempts.computeIfAbsent(context.jobId().value(), (id) -> new AtomicInteger()).incrementAndGet();
		}

		@TaskHandler("flaky")
		void flaky(String payload, JobContext context) {
			if (count(context) < 3 && !healed) {
				throw new IllegalStateException("flaky failure");
			}
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler("broken")
		void broken(String payload, JobContext context) {
			count(context);
			if (payload.equals("timed")) {
				times.add(System.currentTimeMillis());
			}
			if (!healed) {
				throw new IllegalStateException("always broken");
			}
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler(task = "brokenOnce", maxRetries = "${test.handler-retries:1}")
		void brokenOnce(String payload, JobContext context) {
			count(context);
			throw new IllegalStateException("always broken");
		}

		@TaskHandler("refuse")
		void refuse(String payload, JobContext context) {
			count(context);
			throw new NonRetryableJobException("never");
		}

	}

}
