package io.taskq.integration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.JobState;
import io.taskq.NonRetryableJobException;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.retry.DeadLetteringRecoverer;
import io.taskq.retry.FailedJob;
import io.taskq.retry.JobRecoverer;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What becomes of a job that failed for the last time, as the application chooses:
 * exception types it never wants retried, and a {@link JobRecoverer} that replaces the
 * dead letters, without a job ever being lost to a recoverer that fails.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailedJobHandlingIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	static final Queue<Recovered> recovered = new ConcurrentLinkedQueue<>();

	private final JobRecorder recorder = new JobRecorder();

	private final List<String> properties = List.of("taskq.retry.delay=50ms", "taskq.retry.multiplier=1",
			"taskq.retry.jitter=0ms", "taskq.retry.max-retries=3");

	@BeforeEach
	void reset() {
		attempts.clear();
		recovered.clear();
	}

	@Test
	void exceptionTypeListedInThePropertyIsDeadLetteredOnTheFirstAttempt() {
		try (ConfigurableApplicationContext app = start(Handlers.class,
				"taskq.retry.not-retryable-exceptions=" + CustomerException.class.getName())) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId unknown = jobs.enqueue("lookup", "unknown");
			JobId flaky = jobs.enqueue("lookup", "flaky");
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 2);
			// Listed by its superclass: the subclass is not retried either.
			assertThat(attempts.get(unknown.value())).hasValue(1);
			// Not listed: retried up to the limit.
			assertThat(attempts.get(flaky.value())).hasValue(4);
			DeadJob job = deadJob(dead, unknown);
			assertThat(job.attempts()).isEqualTo(1);
			assertThat(job.reason()).startsWith("not retryable, failed on attempt 1 of 4")
				.contains("no customer 'unknown'");
			assertThat(job.errorType()).isEqualTo(UnknownCustomerException.class.getName());
			assertThat(deadJob(dead, flaky).attempts()).isEqualTo(4);
			assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
			assertThat(redis.server().command("ZCARD", "taskq:{default}:delayed")).isEqualTo("0");
		}
	}

	@Test
	void recovererReceivesTheFailedJobInsteadOfTheDeadLetters(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext app = start(WithRecordingRecoverer.class)) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId exhausted = jobs
				.submit(JobRequest.of("broken", "x").withMaxRetries(1).withHeader("tenant", "acme").withTracking());
			JobId refused = jobs.enqueue("refuse", "y");
			await().atMost(Duration.ofSeconds(10)).until(() -> recovered.size() == 2);
			Recovered first = recovered(exhausted);
			assertThat(first.job().task()).isEqualTo("broken");
			assertThat(first.job().queue()).isEqualTo("default");
			assertThat(first.job().attempts()).isEqualTo(2);
			assertThat(first.job().payload()).isEqualTo("\"x\"");
			assertThat(first.job().headers()).containsEntry("tenant", "acme");
			assertThat(first.job().reason())
				.isEqualTo("failed on attempt 2 of 2: java.lang.IllegalStateException: always broken");
			assertThat(first.error()).isInstanceOf(IllegalStateException.class).hasMessage("always broken");
			assertThat(first.thread()).startsWith("taskq-default-");
			Recovered second = recovered(refused);
			assertThat(second.job().attempts()).isEqualTo(1);
			assertThat(second.error()).isInstanceOf(NonRetryableJobException.class).hasMessage("never");
			assertThat(attempts.get(exhausted.value())).hasValue(2);
			assertThat(attempts.get(refused.value())).hasValue(1);
			// Acknowledged like a success: nothing left behind, no dead letter.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "0".equals(redis.server().command("XLEN", "taskq:{default}:stream")));
			assertThat(jobs.whenFinished("default", exhausted).get(10, TimeUnit.SECONDS).state())
				.isEqualTo(JobState.SUCCEEDED);
			assertThat(app.getBean(DeadJobs.class).count("default")).isZero();
			assertThat(redis.server().command("HLEN", "taskq:{default}:dead:jobs")).isEqualTo("0");
			assertThat(redis.server().command("ZCARD", "taskq:{default}:delayed")).isEqualTo("0");
			assertThat(recovered).hasSize(2);
			assertThat(output).contains("Job " + exhausted + " (broken on queue default) failed on attempt 2 of 2")
				.doesNotContain("goes to the dead letters");
		}
	}

	@Test
	void recovererThatThrowsLeavesEveryJobInTheDeadLettersWithItsOwnError(CapturedOutput output) {
		try (ConfigurableApplicationContext app = start(WithFailingRecoverer.class)) {
			JobClient jobs = app.getBean(JobClient.class);
			List<JobId> ids = List.of(jobs.submit(JobRequest.of("broken", "a").withMaxRetries(0)),
					jobs.submit(JobRequest.of("broken", "b").withMaxRetries(1)), jobs.enqueue("refuse", "c"));
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 3);
			assertThat(dead.list("default", 0, 10)).extracting(DeadJob::id).containsExactlyInAnyOrderElementsOf(ids);
			assertThat(recovered).extracting((call) -> call.job().id()).containsExactlyInAnyOrderElementsOf(ids);
			DeadJob broken = deadJob(dead, ids.get(1));
			assertThat(broken.attempts()).isEqualTo(2);
			assertThat(broken.errorType()).isEqualTo(IllegalStateException.class.getName());
			assertThat(broken.reason()).startsWith("failed on attempt 2 of 2: java.lang.IllegalStateException")
				.contains("the recoverer failed: java.lang.UnsupportedOperationException: recoverer down");
			assertThat(broken.stackTrace()).contains("FailedJobHandlingIntegrationTests$Handlers.broken");
			assertThat(deadJob(dead, ids.get(2)).errorType()).isEqualTo(NonRetryableJobException.class.getName());
			assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
			for (JobId id : ids) {
				String job = "Job " + id + " (" + (id.equals(ids.get(2)) ? "refuse" : "broken") + " on queue default)";
				assertThat(output).containsOnlyOnce(job + ": recoverer ")
					.containsOnlyOnce(job + " goes to the dead letters");
			}
		}
	}

	@Test
	void recovererDelegatingToTheDeadLettersIsNotLoggedAsFailing(CapturedOutput output) {
		try (ConfigurableApplicationContext app = start(WithRecordingRecoverer.class)) {
			JobId declined = app.getBean(JobClient.class).enqueue("decline", "z");
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 1);
			assertThat(deadJob(dead, declined).reason())
				.isEqualTo("not retryable, failed on attempt 1 of 4: " + "io.taskq.NonRetryableJobException: declined");
			assertThat(recovered).extracting((call) -> call.job().id()).containsExactly(declined);
			assertThat(output)
				.containsOnlyOnce("Job " + declined + " (decline on queue default) goes to the dead letters")
				.doesNotContain("recoverer");
		}
	}

	private ConfigurableApplicationContext start(Class<?> configuration, String... extra) {
		return new TaskqAppRunner(redis, configuration, this.recorder)
			.withProperties(this.properties.toArray(String[]::new))
			.start(extra);
	}

	private static DeadJob deadJob(DeadJobs dead, JobId id) {
		return dead.list("default", 0, 100).stream().filter((job) -> job.id().equals(id)).findFirst().orElseThrow();
	}

	private static Recovered recovered(JobId id) {
		return recovered.stream().filter((call) -> call.job().id().equals(id)).findFirst().orElseThrow();
	}

	record Recovered(FailedJob job, Throwable error, String thread) {
	}

	static class CustomerException extends RuntimeException {

		CustomerException(String message) {
			super(message);
		}

	}

	static class UnknownCustomerException extends CustomerException {

		UnknownCustomerException(String customer) {
			super("no customer '" + customer + "'");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		private static int count(JobContext context) {
			return attempts.computeIfAbsent(context.jobId().value(), (id) -> new AtomicInteger()).incrementAndGet();
		}

		@TaskHandler("lookup")
		void lookup(String customer, JobContext context) {
			count(context);
			if (customer.equals("unknown")) {
				throw new UnknownCustomerException(customer);
			}
			throw new IllegalStateException("customer service busy");
		}

		@TaskHandler("broken")
		void broken(String payload, JobContext context) {
			count(context);
			throw new IllegalStateException("always broken");
		}

		@TaskHandler("refuse")
		void refuse(String payload, JobContext context) {
			count(context);
			throw new NonRetryableJobException("never");
		}

		@TaskHandler("decline")
		void decline(String payload, JobContext context) {
			count(context);
			throw new NonRetryableJobException("declined");
		}

	}

	/** Records each job; leaves those of task "decline" to the dead letters. */
	@Configuration(proxyBeanMethods = false)
	@Import(Handlers.class)
	static class WithRecordingRecoverer {

		@Bean
		JobRecoverer recordingRecoverer() {
			JobRecoverer deadLetters = new DeadLetteringRecoverer();
			return (job, error) -> {
				recovered.add(new Recovered(job, error, Thread.currentThread().getName()));
				if (job.task().equals("decline")) {
					deadLetters.recover(job, error);
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(Handlers.class)
	static class WithFailingRecoverer {

		@Bean
		JobRecoverer failingRecoverer() {
			return (job, error) -> {
				recovered.add(new Recovered(job, error, Thread.currentThread().getName()));
				throw new UnsupportedOperationException("recoverer down");
			};
		}

	}

}
