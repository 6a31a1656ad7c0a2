package io.taskq.integration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.support.redis.DeadLetterScripts;
import io.taskq.support.redis.DelayedScripts;
import io.taskq.support.redis.StreamScripts;
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
 * A job keeps its claim for as long as this instance holds it: while its handler runs,
 * through refreshes that fail, and while its outcome waits to be written. Two instances
 * share the queue, so a lost claim shows as a second run on the other one.
 */
class ClaimKeepingIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final JobRecorder recorder = new JobRecorder();

	/**
	 * Issue 16, point 2: refreshes ran only between fetch turns, for jobs past a third of
	 * the visibility timeout, so a missed refresh or two let the other instance take the
	 * job over.
	 */
	@Test
	void failedClaimRefreshesDoNotLetAnotherInstanceTakeTheJob() {
		Faults.current = List.of(ScriptFaults.failingCalls(StreamScripts.class, "touch.lua", 4));
		try (ConfigurableApplicationContext first = start("taskq.visibility-timeout=3s");
				ConfigurableApplicationContext second = start("taskq.visibility-timeout=3s")) {
			JobId id = first.getBean(JobClient.class).enqueue("long", 7000);
			await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.runs(id.value()) == 1);
			assertThat(Handlers.attempts).containsExactly(1);
		}
	}

	/**
	 * Issue 16, point 3: a retry Redis refused left the jobs in flight, so its claim
	 * lapsed, the other instance ran it again, and the late retry made a third run.
	 */
	@Test
	void retryWaitingToBeWrittenKeepsItsClaim() {
		ScriptFaults.Fault retryRefused = ScriptFaults.failingFor(DelayedScripts.class, "retry.lua", 2500);
		Faults.current = List.of(retryRefused);
		try (ConfigurableApplicationContext first = start("taskq.visibility-timeout=1s");
				ConfigurableApplicationContext second = start("taskq.visibility-timeout=1s")) {
			JobId id = first.getBean(JobClient.class).enqueue("flaky", 2500);
			await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.runs(id.value()) == 1);
			// Long enough for a stolen run and a late retry to show.
			await().pollDelay(Duration.ofSeconds(4)).until(() -> true);
			assertThat(retryRefused.failed()).isGreaterThan(1);
			assertThat(Handlers.attempts).containsExactly(1, 2);
		}
	}

	/**
	 * Issue 16, point 11: a dead letter Redis refused for a while lost its claim, and the
	 * other instance dead-lettered the job as "delivered twice without finishing",
	 * without the handler's error.
	 */
	@Test
	void deadLetterWaitingToBeWrittenKeepsTheHandlersError() {
		ScriptFaults.Fault deadLetterRefused = ScriptFaults.failingFor(DeadLetterScripts.class, "dead-letter.lua",
				2500);
		Faults.current = List.of(deadLetterRefused);
		try (ConfigurableApplicationContext first = start("taskq.visibility-timeout=1s");
				ConfigurableApplicationContext second = start("taskq.visibility-timeout=1s")) {
			JobId id = first.getBean(JobClient.class).enqueue("doomed", "x");
			DeadJobs dead = first.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> dead.count("default") == 1);
			DeadJob job = dead.list("default", 0, 1).get(0);
			assertThat(job.id()).isEqualTo(id);
			assertThat(job.reason()).contains("boom on attempt 1");
			assertThat(deadLetterRefused.failed()).isGreaterThan(1);
			assertThat(Handlers.attempts).containsExactly(1);
		}
	}

	private ConfigurableApplicationContext start(String... properties) {
		Handlers.attempts.clear();
		return TaskqApp.start(redis.server(), Handlers.class, this.recorder, properties);
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		static final List<Integer> attempts = new CopyOnWriteArrayList<>();

		@Autowired
		JobRecorder recorder;

		@Bean
		static ScriptFaults scriptFaults() {
			return new ScriptFaults(Faults.current.toArray(ScriptFaults.Fault[]::new));
		}

		@TaskHandler("long")
		void longJob(Integer millis, JobContext context) throws InterruptedException {
			attempts.add(context.attempt());
			Thread.sleep(millis);
			this.recorder.record(context.jobId().value());
		}

		/** Fails its first attempt at once; later ones take a while, then succeed. */
		@TaskHandler(task = "flaky", maxRetries = "3")
		void flaky(Integer millis, JobContext context) throws InterruptedException {
			attempts.add(context.attempt());
			if (context.attempt() == 1) {
				throw new IllegalStateException("first attempt fails");
			}
			Thread.sleep(millis);
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler(task = "doomed", maxRetries = "0")
		void doomed(String payload, JobContext context) {
			attempts.add(context.attempt());
			throw new IllegalStateException("boom on attempt " + context.attempt());
		}

	}

	/** The faults of the test running now, shared by its instances. */
	static final class Faults {

		static volatile List<ScriptFaults.Fault> current = List.of();

	}

}
