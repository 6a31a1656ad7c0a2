package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.support.JobObserver;
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
 * Taking over jobs a dead consumer left pending: worker slots stay exact whatever a user
 * hook does, and entries this instance still runs are not counted as new deliveries.
 */
class ReclaimIntegrationTests {

	private static final String STREAM = "taskq:{default}:stream";

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final JobRecorder recorder = new JobRecorder();

	/**
	 * Issue 16, point 1: an observer that threw inside the reclaim over-released slots.
	 */
	@Test
	void throwingReclaimObserverKeepsSlotsExactAndRunsEveryJobOnce() {
		List<JobId> ids = new ArrayList<>();
		try (ConfigurableApplicationContext producer = TaskqApp.start(redis.server(), SlowHandlers.class, this.recorder,
				"taskq.listener.enabled=false")) {
			List<JobRequest> requests = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				requests.add(JobRequest.of("slow", 150));
			}
			ids.addAll(producer.getBean(JobClient.class).enqueueAll(requests));
		}
		// A consumer that takes every job and dies without finishing any.
		redis.server().command("XREADGROUP", "GROUP", "taskq", "ghost", "COUNT", "100", "STREAMS", STREAM, ">");
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), ThrowingObserverConfig.class,
				this.recorder, "taskq.concurrency=2", "taskq.visibility-timeout=1s")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.distinctJobs() == ids.size());
			assertThat(ThrowingObserverConfig.calls.get()).isGreaterThanOrEqualTo(2);
			assertThat(this.recorder.maxRunning()).isLessThanOrEqualTo(2);
			assertThat(this.recorder.duplicates()).isEmpty();
			assertThat(this.recorder.jobIds())
				.containsExactlyInAnyOrderElementsOf(ids.stream().map(JobId::value).toList());
		}
	}

	/**
	 * Issue 16, point 6: the reclaim scan (XAUTOCLAIM) also claimed entries this instance
	 * still ran once their claim was not renewed in time, raising their delivery count,
	 * which is read as the attempt number.
	 */
	@Test
	void reclaimScanLeavesTheJobsThisInstanceRunsAlone() {
		ClaimKeepingIntegrationTests.Faults.current = List
			.of(ScriptFaults.failingCalls(StreamScripts.class, "touch.lua", Integer.MAX_VALUE));
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), FaultyHandlers.class, this.recorder,
				"taskq.visibility-timeout=1s")) {
			JobId id = app.getBean(JobClient.class).enqueue("slow", 3000);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.maxRunning() == 1);
			// Three visibility timeouts with no claim renewed: six reclaim scans.
			await().pollDelay(Duration.ofMillis(2500)).until(() -> true);
			String pending = redis.server().command("XPENDING", STREAM, "taskq", "-", "+", "10");
			// id, consumer, idle, deliveries
			assertThat(pending.split("\n")).hasSize(4).endsWith("1");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs(id.value()) == 1);
		}
	}

	/**
	 * Issue 16, point 10: jobs reclaimed beside one that halts its JVM were reclaimed
	 * beside it again after every crash, so their delivery count rose with it and they
	 * ended in the dead letters too. Workers are separate JVMs that halt for real.
	 */
	@Test
	void onlyTheJobThatKeepsKillingWorkersIsDeadLettered() {
		List<JobId> healthy = new ArrayList<>();
		JobId poison;
		try (ConfigurableApplicationContext producer = TaskqApp.start(redis.server(), SlowHandlers.class, this.recorder,
				"taskq.listener.enabled=false")) {
			JobClient jobs = producer.getBean(JobClient.class);
			poison = jobs.submit(JobRequest.of("halt", "x").withMaxRetries(2));
			healthy.add(jobs.submit(JobRequest.of("large", "x".repeat(5 * 1024 * 1024)).withMaxRetries(2)));
			List<JobRequest> requests = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				requests.add(JobRequest.of("work", 200).withMaxRetries(2));
			}
			healthy.addAll(jobs.enqueueAll(requests));
			DeadJobs dead = producer.getBean(DeadJobs.class);
			int total = healthy.size() + 1;
			for (int worker = 0; worker < 10 && done() + dead.count("default") < total; worker++) {
				try (WorkerProcess process = WorkerProcess.start(redis.server(), "taskq.concurrency=8",
						"taskq.visibility-timeout=1s")) {
					await().atMost(Duration.ofSeconds(60))
						.until(() -> !process.isAlive() || done() + dead.count("default") == total);
				}
			}
			assertThat(dead.list("default", 0, 10)).extracting(DeadJob::id).containsExactly(poison);
			assertThat(dead.list("default", 0, 1).get(0).reason()).contains("delivered 4 times without finishing");
			assertThat(redis.server().command("SMEMBERS", "test:done").split("\n"))
				.containsExactlyInAnyOrderElementsOf(healthy.stream().map(JobId::value).toList());
			assertThat(redis.server().command("LLEN", "test:halts")).isEqualTo("3");
		}
	}

	private static long done() {
		return Long.parseLong(redis.server().command("SCARD", "test:done"));
	}

	@Configuration(proxyBeanMethods = false)
	static class FaultyHandlers extends SlowHandlers {

		@Bean
		static ScriptFaults scriptFaults() {
			return new ScriptFaults(ClaimKeepingIntegrationTests.Faults.current.toArray(ScriptFaults.Fault[]::new));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SlowHandlers {

		@Autowired
		JobRecorder recorder;

		@TaskHandler("slow")
		void slow(Integer millis, JobContext context) throws InterruptedException {
			this.recorder.started();
			try {
				Thread.sleep(millis);
			}
			finally {
				this.recorder.finished(context.jobId().value());
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThrowingObserverConfig extends SlowHandlers {

		static final AtomicInteger calls = new AtomicInteger();

		@Bean
		JobObserver throwingObserver() {
			return new JobObserver() {

				@Override
				public void reclaimed(String queue, String task) {
					// Every second call throws: the first entry of a pair is dispatched,
					// the second is not.
					if (calls.incrementAndGet() % 2 == 0) {
						throw new IllegalStateException("observer failure");
					}
				}

			};
		}

	}

}
