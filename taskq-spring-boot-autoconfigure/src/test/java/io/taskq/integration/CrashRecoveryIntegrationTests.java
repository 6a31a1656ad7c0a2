package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Semantic 6: jobs of a dead consumer are reclaimed after the visibility timeout and run
 * again; a live worker's long job is not stolen; a job that keeps killing its worker ends
 * in the dead letters. Workers here are separate JVMs killed with SIGKILL.
 */
class CrashRecoveryIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final JobRecorder recorder = new JobRecorder();

	@Test
	void workerKilledMidBatchLosesNothing() {
		int total = 2000;
		try (ConfigurableApplicationContext producer = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.listener.enabled=false")) {
			List<JobRequest> requests = new ArrayList<>();
			for (int i = 0; i < total; i++) {
				requests.add(JobRequest.of("work", 5));
			}
			List<JobId> ids = producer.getBean(JobClient.class).enqueueAll(requests);
			try (WorkerProcess doomed = WorkerProcess.start(redis.server(), "taskq.concurrency=8",
					"taskq.visibility-timeout=2s", "taskq.consumer-name=doomed")) {
				await().atMost(Duration.ofSeconds(60)).until(() -> done() >= 300);
				doomed.kill();
			}
			// Read before the survivor starts and reclaims them.
			Set<String> heldByDoomed = JobRuns.heldBy(redis.server(), "doomed");
			long doneWhenKilled = done();
			assertThat(doneWhenKilled).isLessThan(total);
			try (WorkerProcess survivor = WorkerProcess.start(redis.server(), "taskq.concurrency=8",
					"taskq.visibility-timeout=2s")) {
				await().atMost(Duration.ofSeconds(90)).until(() -> done() == total);
				assertThat(survivor.log()).contains("Reclaimed job");
			}
			Set<String> finished = new HashSet<>(List.of(redis.server().command("SMEMBERS", "test:done").split("\n")));
			assertThat(finished).containsExactlyInAnyOrderElementsOf(ids.stream().map(JobId::value).toList());
			// Only a job the killed worker held (running, or finished with its ack not
			// yet written) may run again, and only once more.
			Map<String, Integer> ranTwice = JobRuns.ranMoreThanOnce(redis.server());
			assertThat(heldByDoomed).containsAll(ranTwice.keySet());
			assertThat(ranTwice.values()).allMatch((runs) -> runs == 2);
			assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
		}
	}

	@Test
	void jobThatKeepsKillingItsWorkerIsDeadLettered() {
		try (ConfigurableApplicationContext producer = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.listener.enabled=false")) {
			JobId poison = producer.getBean(JobClient.class).submit(JobRequest.of("halt", "x").withMaxRetries(1));
			JobId healthy = producer.getBean(JobClient.class).enqueue("work", 0);
			for (int crash = 1; crash <= 2; crash++) {
				int expectedHalts = crash;
				try (WorkerProcess worker = WorkerProcess.start(redis.server(), "taskq.visibility-timeout=1s")) {
					await().atMost(Duration.ofSeconds(60)).until(() -> halts() == expectedHalts);
					worker.waitForExit();
				}
			}
			// Two deliveries allowed (one retry); the third is refused and dead-lettered.
			try (WorkerProcess worker = WorkerProcess.start(redis.server(), "taskq.visibility-timeout=1s")) {
				DeadJobs dead = producer.getBean(DeadJobs.class);
				await().atMost(Duration.ofSeconds(60)).until(() -> dead.count("default") == 1);
				DeadJob job = dead.list("default", 0, 1).get(0);
				assertThat(job.id()).isEqualTo(poison);
				assertThat(job.reason()).contains("delivered 3 times without finishing");
				assertThat(worker.isAlive()).isTrue();
				await().atMost(Duration.ofSeconds(30)).until(() -> done() >= 1);
			}
			assertThat(halts()).isEqualTo(2);
			assertThat(redis.server().command("SISMEMBER", "test:done", healthy.value())).isEqualTo("1");
		}
	}

	@Test
	void longJobOnLiveWorkerIsNotStolen() throws Exception {
		try (ConfigurableApplicationContext first = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.visibility-timeout=1500ms");
				ConfigurableApplicationContext second = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
						"taskq.visibility-timeout=1500ms")) {
			JobId id = first.getBean(JobClient.class).enqueue("long", 5000);
			await().atMost(Duration.ofSeconds(20)).until(() -> this.recorder.runs(id.value()) == 1);
			// Well past several visibility timeouts: nobody took it over.
			Thread.sleep(2000);
			assertThat(this.recorder.runs(id.value())).isEqualTo(1);
			assertThat(Handlers.starts).isEqualTo(1);
		}
	}

	private static long done() {
		return Long.parseLong(redis.server().command("SCARD", "test:done"));
	}

	private static long halts() {
		return Long.parseLong(redis.server().command("LLEN", "test:halts"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		static volatile int starts;

		@Autowired
		JobRecorder recorder;

		@TaskHandler("long")
		void longJob(Integer millis, JobContext context) throws InterruptedException {
			starts++;
			Thread.sleep(millis);
			this.recorder.record(context.jobId().value());
		}

	}

}
