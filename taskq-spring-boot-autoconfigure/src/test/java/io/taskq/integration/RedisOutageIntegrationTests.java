package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.taskq.JobId;
import io.taskq.client.JobClient;
import io.taskq.client.JobEnqueueException;
import io.taskq.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Semantic 8: when Redis dies and comes back, listeners log once, back off, reconnect and
 * resume by themselves, recreating a consumer group lost with the data.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisOutageIntegrationTests {

	private final JobRecorder recorder = new JobRecorder();

	@Test
	void listenersResumeAfterRestartThatLostAllData(CapturedOutput output) throws Exception {
		try (RedisServer redis = RedisServer.start();
				ConfigurableApplicationContext app = TaskqApp.start(redis, RecordHandler.class, this.recorder,
						"spring.data.redis.timeout=2s", "taskq.poll-timeout=1s")) {
			JobClient jobs = app.getBean(JobClient.class);
			List<JobId> before = RecordHandler.enqueue(jobs, 50);
			await().atMost(Duration.ofSeconds(10)).until(() -> ranAll(before));
			redis.kill();
			// Down for a while: every listener keeps failing and must neither spin nor
			// spam.
			Thread.sleep(3000);
			redis.restart();
			assertThat(redis.command("EXISTS", "taskq:{default}:stream")).isEqualTo("0");
			List<JobId> after = new ArrayList<>();
			await().atMost(Duration.ofSeconds(20))
				.ignoreException(JobEnqueueException.class)
				.until(() -> after.add(jobs.enqueue("record", "after")));
			after.addAll(RecordHandler.enqueue(jobs, 49));
			await().atMost(Duration.ofSeconds(20)).until(() -> ranAll(after));
			assertThat(threadAlive("taskq-default-fetch")).isTrue();
			assertThat(threadAlive("taskq-default-ack")).isTrue();
			assertThat(threadAlive("taskq-default-promoter")).isTrue();
			assertThat(output).containsOnlyOnce("Reading jobs of queue 'default' failed, retrying with backoff");
			assertThat(output).contains("Reading jobs of queue 'default' recovered");
			assertThat(output).contains("Created consumer group of queue 'default'");
			// A few lines about the outage, not one per poll: no stack traces from our
			// threads.
			assertThat(output.toString().lines().filter((line) -> line.contains("\tat io.taskq"))).isEmpty();
		}
	}

	@Test
	void poolOfQueuesResumesAfterRestartWithEachQueueBackingOffOnItsOwn(CapturedOutput output) throws Exception {
		WorkerPoolIntegrationTests.StartLog starts = new WorkerPoolIntegrationTests.StartLog();
		try (RedisServer redis = RedisServer.start();
				ConfigurableApplicationContext app = TaskqApp.start(redis, WorkerPoolIntegrationTests.Handlers.class,
						starts, "spring.data.redis.timeout=2s", "taskq.poll-timeout=1s",
						"taskq.pools.main.queues=urgent,bulk")) {
			JobClient jobs = app.getBean(JobClient.class);
			jobs.enqueue("urgent.work", 0);
			jobs.enqueue("bulk.work", 0);
			await().atMost(Duration.ofSeconds(10)).until(() -> starts.recorder().distinctJobs() == 2);
			redis.kill();
			Thread.sleep(3000);
			redis.restart();
			List<JobId> after = new ArrayList<>();
			await().atMost(Duration.ofSeconds(20))
				.ignoreException(JobEnqueueException.class)
				.until(() -> after.add(jobs.enqueue("bulk.work", 0)));
			for (int i = 0; i < 20; i++) {
				after.add(jobs.enqueue("urgent.work", 0));
				after.add(jobs.enqueue("bulk.work", 0));
			}
			await().atMost(Duration.ofSeconds(20))
				.until(() -> starts.recorder().jobIds().containsAll(after.stream().map(JobId::value).toList()));
			assertThat(starts.recorder().duplicates()).isEmpty();
			assertThat(threadAlive("taskq-main-fetch")).isTrue();
			for (String queue : List.of("urgent", "bulk")) {
				assertThat(output)
					.containsOnlyOnce("Reading jobs of queue '" + queue + "' failed, retrying with backoff");
				assertThat(output).contains("Reading jobs of queue '" + queue + "' recovered");
			}
			assertThat(output.toString().lines().filter((line) -> line.contains("\tat io.taskq"))).isEmpty();
		}
	}

	@Test
	void applicationStartsWhileRedisIsDownAndListenersStartWorkingWhenItComesUp(CapturedOutput output) {
		try (RedisServer redis = RedisServer.start()) {
			redis.stop();
			long start = System.nanoTime();
			try (ConfigurableApplicationContext app = TaskqApp.start(redis, RecordHandler.class, this.recorder,
					"spring.data.redis.timeout=1s", "taskq.poll-timeout=500ms")) {
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
				assertThat(output).contains("Could not read the Redis server version at start-up");
				redis.restart();
				JobClient jobs = app.getBean(JobClient.class);
				List<JobId> ids = new ArrayList<>();
				await().atMost(Duration.ofSeconds(20))
					.ignoreException(JobEnqueueException.class)
					.until(() -> ids.add(jobs.enqueue("record", "late")));
				await().atMost(Duration.ofSeconds(20)).until(() -> ranAll(ids));
				// Delayed jobs too: the promoter and its wake-up subscription recovered.
				JobId delayed = jobs.enqueueIn("record", "later", Duration.ofMillis(300));
				await().atMost(Duration.ofSeconds(20)).until(() -> this.recorder.runs(delayed.value()) == 1);
			}
		}
	}

	@Test
	void queuedJobsSurviveRestartWithPersistence() {
		try (RedisServer redis = RedisServer.start("--appendonly", "yes", "--appendfsync", "always")) {
			List<JobId> queued;
			try (ConfigurableApplicationContext producer = TaskqApp.start(redis, RecordHandler.class, this.recorder,
					"taskq.listener.enabled=false")) {
				JobClient jobs = producer.getBean(JobClient.class);
				queued = RecordHandler.enqueue(jobs, 200);
				queued.add(jobs.enqueueIn("record", "delayed", Duration.ofSeconds(1)));
			}
			redis.restart();
			try (ConfigurableApplicationContext worker = TaskqApp.start(redis, RecordHandler.class, this.recorder)) {
				await().atMost(Duration.ofSeconds(20)).until(() -> ranAll(queued));
				assertThat(this.recorder.duplicates()).isEmpty();
			}
		}
	}

	@Test
	void enqueueFailsWithClearExceptionWhileRedisIsDown() {
		try (RedisServer redis = RedisServer.start();
				ConfigurableApplicationContext app = TaskqApp.start(redis, RecordHandler.class, this.recorder,
						"spring.data.redis.timeout=1s", "taskq.listener.enabled=false")) {
			JobClient jobs = app.getBean(JobClient.class);
			jobs.enqueue("record", "warm-up");
			redis.kill();
			long start = System.nanoTime();
			org.assertj.core.api.Assertions.assertThatExceptionOfType(JobEnqueueException.class)
				.isThrownBy(() -> jobs.enqueue("record", "lost"))
				.withMessageStartingWith("Could not enqueue job ")
				.withMessageContaining("(record on queue default)");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		}
	}

	private boolean ranAll(List<JobId> ids) {
		return ids.stream().allMatch((id) -> this.recorder.runs(id.value()) >= 1);
	}

	private static boolean threadAlive(String name) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.anyMatch((thread) -> thread.getName().equals(name) && thread.isAlive());
	}

}
