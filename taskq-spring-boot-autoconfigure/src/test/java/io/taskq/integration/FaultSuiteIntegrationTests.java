package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.taskq.JobId;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.client.JobEnqueueException;
import io.taskq.client.JobRequest;
import io.taskq.testing.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4 scenarios with real processes: worker JVMs ({@link WorkerMain}) stopped with
 * SIGTERM, a redis-server with AOF restarted under load. Every job is counted by id in
 * Redis ({@code test:runs}, {@code test:done}); figures go to the test output.
 */
class FaultSuiteIntegrationTests {

	private final JobRecorder recorder = new JobRecorder();

	@Test
	void oneOfTwoWorkersKilledTheOtherFinishesEveryJob() {
		int total = 10_000;
		try (RedisServer redis = RedisServer.start();
				ConfigurableApplicationContext producer = TaskqApp.start(redis, DeliveryIntegrationTests.Handlers.class,
						this.recorder, "taskq.listener.enabled=false")) {
			List<JobRequest> requests = new ArrayList<>();
			for (int i = 0; i < total; i++) {
				requests.add(JobRequest.of("work", 1));
			}
			List<JobId> ids = producer.getBean(JobClient.class).enqueueAll(requests);
			try (WorkerProcess doomed = WorkerProcess.start(redis, "taskq.concurrency=16",
					"taskq.visibility-timeout=2s", "taskq.consumer-name=doomed");
					WorkerProcess survivor = WorkerProcess.start(redis, "taskq.concurrency=16",
							"taskq.visibility-timeout=2s")) {
				// The worker to kill must be busy: it may start after the other one.
				await().atMost(Duration.ofSeconds(60))
					.until(() -> count(redis, "SCARD", "test:done") >= 2000
							&& !JobRuns.heldBy(redis, "doomed").isEmpty());
				doomed.kill();
				long killedAt = System.nanoTime();
				// Read before the survivor may reclaim them (after 2 s idle): the jobs
				// the killed worker had fetched and not acknowledged, finished or not.
				Set<String> heldByDoomed = JobRuns.heldBy(redis, "doomed");
				await().atMost(Duration.ofSeconds(120)).until(() -> count(redis, "SCARD", "test:done") == total);
				Map<String, Integer> ranTwice = JobRuns.ranMoreThanOnce(redis);
				FaultReport.add(String.format(Locale.ROOT,
						"worker-killed: %d jobs, all done %.1f s after SIGKILL, %d ran twice, %d were held unacknowledged "
								+ "by the killed worker",
						total, (System.nanoTime() - killedAt) / 1e9, ranTwice.size(), heldByDoomed.size()));
				// Only a job the killed worker held (running, or finished with its ack
				// not yet written) may run again, and only once more.
				assertThat(heldByDoomed).containsAll(ranTwice.keySet());
				assertThat(ranTwice.values()).allMatch((runs) -> runs == 2);
				assertThat(survivor.isAlive()).isTrue();
			}
			assertThat(Set.of(redis.command("SMEMBERS", "test:done").split("\n")))
				.containsExactlyInAnyOrderElementsOf(ids.stream().map(JobId::value).toList());
		}
	}

	@Test
	void poisonJobsEndInDeadLettersAndHealthyJobsAroundThemAllRun() {
		try (RedisServer redis = RedisServer.start();
				ConfigurableApplicationContext producer = TaskqApp.start(redis, DeliveryIntegrationTests.Handlers.class,
						this.recorder, "taskq.listener.enabled=false")) {
			JobClient jobs = producer.getBean(JobClient.class);
			List<JobId> healthy = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				healthy.add(jobs.enqueue("work", 0));
				if (i == 10) {
					redis.command("XADD", "taskq:{default}:stream", "*", "id", "bad-payload", "task", "work", "payload",
							"\"not a number\"", "created", "1");
					jobs.submit(JobRequest.of("nope", "x").withJobId(JobId.of("unknown-task")));
					jobs.submit(JobRequest.of("fail", "x").withJobId(JobId.of("always-fails")).withMaxRetries(2));
					jobs.submit(JobRequest.of("halt", "x").withJobId(JobId.of("halts-jvm")).withMaxRetries(1));
				}
			}
			DeadJobs dead = producer.getBean(DeadJobs.class);
			int workers = 0;
			long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
			// A worker JVM halted by the poison job is replaced, as a supervisor would.
			while (!(dead.count("default") == 4 && count(redis, "SCARD", "test:done") == 100)) {
				assertThat(System.nanoTime()).isLessThan(deadline);
				try (WorkerProcess worker = WorkerProcess.start(redis, "taskq.visibility-timeout=1s",
						"taskq.retry.delay=100ms", "taskq.retry.jitter=0ms", "taskq.unhandled-task-grace=0")) {
					workers++;
					await().atMost(Duration.ofSeconds(60))
						.until(() -> !worker.isAlive()
								|| (dead.count("default") == 4 && count(redis, "SCARD", "test:done") == 100));
				}
			}
			Map<String, String> reasons = new HashMap<>();
			dead.list("default", 0, 10).forEach((job) -> reasons.put(job.id().value(), job.reason()));
			assertThat(reasons).containsOnlyKeys("bad-payload", "unknown-task", "always-fails", "halts-jvm");
			assertThat(reasons.get("bad-payload")).contains("does not deserialize to java.lang.Integer");
			assertThat(reasons.get("unknown-task"))
				.startsWith("no handler for task 'nope' on queue 'default': dead at once");
			assertThat(reasons.get("always-fails")).contains("failed on attempt 3 of 3");
			assertThat(reasons.get("halts-jvm")).contains("delivered 3 times without finishing");
			assertThat(count(redis, "LLEN", "test:halts")).isEqualTo(2);
			assertThat(Set.of(redis.command("SMEMBERS", "test:done").split("\n")))
				.containsExactlyInAnyOrderElementsOf(healthy.stream().map(JobId::value).toList());
			FaultReport.add(String.format(Locale.ROOT,
					"poison: 4 poison jobs dead-lettered with their reasons, 100 healthy jobs "
							+ "ran, %d worker JVMs started (2 halted by the poison job)",
					workers));
		}
	}

	@Test
	void sigtermWithFiftyJobsInFlightFinishesThemAndLosesNothing() {
		try (RedisServer redis = RedisServer.start();
				ConfigurableApplicationContext producer = TaskqApp.start(redis, DeliveryIntegrationTests.Handlers.class,
						this.recorder, "taskq.listener.enabled=false")) {
			List<JobRequest> requests = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				requests.add(JobRequest.of("work", 1500));
			}
			List<JobId> ids = producer.getBean(JobClient.class).enqueueAll(requests);
			try (WorkerProcess worker = WorkerProcess.start(redis, "taskq.concurrency=50")) {
				await().atMost(Duration.ofSeconds(60)).until(() -> count(redis, "LLEN", "test:started") >= 50);
				long startedAtTerm = count(redis, "LLEN", "test:started");
				worker.terminate();
				// Every job it had started was finished before it exited, and
				// acknowledged.
				assertThat(count(redis, "LLEN", "test:runs")).isEqualTo(startedAtTerm);
				assertThat(redis.command("XPENDING", "taskq:{default}:stream", "taskq")).startsWith("0");
				FaultReport.add("sigterm: " + startedAtTerm + " jobs in flight at SIGTERM, all finished");
			}
			try (WorkerProcess next = WorkerProcess.start(redis, "taskq.concurrency=50")) {
				await().atMost(Duration.ofSeconds(60)).until(() -> count(redis, "SCARD", "test:done") == 100);
			}
			assertThat(count(redis, "LLEN", "test:runs")).isEqualTo(100);
			assertThat(Set.of(redis.command("SMEMBERS", "test:done").split("\n")))
				.containsExactlyInAnyOrderElementsOf(ids.stream().map(JobId::value).toList());
		}
	}

	@Test
	void redisRestartedWithAofUnderLoadLosesNoEnqueuedJob() throws Exception {
		try (RedisServer redis = RedisServer.start("--appendonly", "yes", "--appendfsync", "always");
				ConfigurableApplicationContext producer = TaskqApp.start(redis, DeliveryIntegrationTests.Handlers.class,
						this.recorder, "taskq.listener.enabled=false", "spring.data.redis.timeout=1s");
				WorkerProcess worker = WorkerProcess.start(redis, "spring.data.redis.timeout=2s",
						"taskq.poll-timeout=1s")) {
			JobClient jobs = producer.getBean(JobClient.class);
			List<String> enqueued = Collections.synchronizedList(new ArrayList<>());
			AtomicLong refused = new AtomicLong();
			AtomicLong longestCall = new AtomicLong();
			Thread load = new Thread(() -> {
				for (int i = 0; i < 1500; i++) {
					long start = System.nanoTime();
					try {
						enqueued.add(jobs.enqueue("work", 0).value());
					}
					catch (JobEnqueueException ex) {
						refused.incrementAndGet();
					}
					longestCall.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
					sleep(2);
				}
			});
			load.start();
			await().atMost(Duration.ofSeconds(30)).until(() -> enqueued.size() >= 300);
			long stopped = System.nanoTime();
			redis.restart();
			long restarted = System.nanoTime();
			int atRestart = enqueued.size();
			await().atMost(Duration.ofSeconds(30)).until(() -> enqueued.size() > atRestart + 10);
			double recoverySeconds = (System.nanoTime() - restarted) / 1e9;
			load.join(120_000);
			Set<String> expected = new HashSet<>(enqueued);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> Set.of(redis.command("SMEMBERS", "test:done").split("\n")).containsAll(expected));
			long runs = count(redis, "LLEN", "test:runs");
			long distinct = count(redis, "SCARD", "test:done");
			FaultReport.add(String.format(Locale.ROOT,
					"redis-restart: %d enqueued, %d refused while down, restart took %.1f s, "
							+ "producer recovered %.1f s after restart, longest enqueue call %d ms, %d runs of %d "
							+ "distinct jobs (%d extra runs)",
					expected.size(), refused.get(), (restarted - stopped) / 1e9, recoverySeconds, longestCall.get(),
					runs, distinct, runs - distinct));
			// A call never hangs: it fails within the command timeout (1 s) plus
			// connecting.
			assertThat(longestCall.get()).isLessThan(5000);
			assertThat(runs).isGreaterThanOrEqualTo(expected.size());
			String log = worker.log();
			assertThat(log).doesNotContain("\tat io.taskq");
			assertThat(log.lines().filter((line) -> line.contains("Reading jobs of queue 'default' failed")).count())
				.isLessThanOrEqualTo(1);
		}
	}

	private static long count(RedisServer redis, String... command) {
		return Long.parseLong(redis.command(command));
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
