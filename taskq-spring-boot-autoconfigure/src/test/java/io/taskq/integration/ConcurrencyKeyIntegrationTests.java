package io.taskq.integration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
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
 * Issue 5, point 3: a concurrency key limits how many jobs with it run at once across all
 * instances; jobs over the limit wait rather than fail, and a crashed worker's lease
 * lapses.
 */
class ConcurrencyKeyIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	static final Map<String, AtomicInteger> runningByKey = new ConcurrentHashMap<>();

	static final Map<String, AtomicInteger> maxByKey = new ConcurrentHashMap<>();

	static final AtomicInteger running = new AtomicInteger();

	static final AtomicInteger maxRunning = new AtomicInteger();

	private final JobRecorder recorder = new JobRecorder();

	private final TaskqAppRunner apps = new TaskqAppRunner(redis, Handlers.class, this.recorder)
		.withProperties("taskq.concurrency=8", "taskq.concurrency-wait=100ms");

	@BeforeEach
	void reset() {
		runningByKey.clear();
		maxByKey.clear();
		running.set(0);
		maxRunning.set(0);
	}

	@Test
	void atMostOneJobPerCustomerRunsAcrossInstances() {
		try (ConfigurableApplicationContext first = this.apps.start();
				ConfigurableApplicationContext second = this.apps.start()) {
			JobClient jobs = first.getBean(JobClient.class);
			List<JobId> ids = new ArrayList<>();
			for (int i = 0; i < 15; i++) {
				for (String customer : List.of("acme", "globex", "initech")) {
					ids.add(jobs.submit(JobRequest.of("report", customer).withConcurrencyKey(customer)));
				}
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.distinctJobs() == ids.size());
			assertThat(this.recorder.duplicates()).isEmpty();
			assertThat(maxByKey).containsOnlyKeys("acme", "globex", "initech");
			maxByKey.values().forEach((max) -> assertThat(max).hasValue(1));
			// Different customers did run side by side.
			assertThat(maxRunning.get()).isGreaterThan(1);
			assertThat(redis.server().command("ZCARD", "taskq:{default}:delayed")).isEqualTo("0");
		}
	}

	@Test
	void jobLimitAndTaskWideLimit() {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobClient jobs = app.getBean(JobClient.class);
			List<JobId> ids = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				ids.add(jobs.submit(JobRequest.of("report", "pair").withConcurrencyKey("pair", 2)));
				ids.add(jobs.enqueue("export", "all"));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.distinctJobs() == ids.size());
			assertThat(maxByKey.get("pair")).hasValue(2);
			assertThat(maxByKey.get("export")).hasValue(3);
		}
	}

	@Test
	void crashedWorkersLeaseLapsesAndTheWaitingJobRuns() throws Exception {
		String visibility = "taskq.visibility-timeout=3s";
		try (WorkerProcess worker = WorkerProcess.start(redis.server(), visibility, "taskq.concurrency-wait=100ms")) {
			try (ConfigurableApplicationContext producer = this.apps.start("taskq.listener.enabled=false")) {
				JobClient jobs = producer.getBean(JobClient.class);
				JobId first = jobs.submit(JobRequest.of("exclusive", 30_000).withConcurrencyKey("k"));
				await().atMost(Duration.ofSeconds(60))
					.until(() -> redis.server().command("LRANGE", "test:started", "0", "-1").contains(first.value()));
				assertThat(redis.server().command("ZCARD", "taskq:{default}:lease:exclusive:k")).isEqualTo("1");
				worker.kill();
				Instant killed = Instant.now();
				JobId second = jobs.submit(JobRequest.of("exclusive", 0).withConcurrencyKey("k"));
				try (WorkerProcess survivor = WorkerProcess.start(redis.server(), visibility,
						"taskq.concurrency-wait=100ms")) {
					await().atMost(Duration.ofSeconds(60))
						.until(() -> "1".equals(redis.server().command("SISMEMBER", "test:done", second.value())));
					// It waited for the dead worker's lease to lapse, no longer.
					assertThat(Duration.between(killed, Instant.now())).isLessThan(Duration.ofSeconds(40));
				}
			}
		}
	}

	/**
	 * Issue 16, point 16: the lease of a handler that overstayed its timeout stayed until
	 * it lapsed, a visibility timeout after the handler returned.
	 */
	@Test
	void overdueHandlerGivesBackItsLeaseWhenItFinallyReturns() {
		try (ConfigurableApplicationContext app = this.apps.start("taskq.visibility-timeout=10s")) {
			JobClient jobs = app.getBean(JobClient.class);
			jobs.enqueue("stubborn", 4000);
			await().atMost(Duration.ofSeconds(10)).until(() -> Handlers.stubbornStarts.size() == 1);
			jobs.enqueue("stubborn", 0);
			await().atMost(Duration.ofSeconds(30)).until(() -> Handlers.stubbornStarts.size() == 2);
			long waited = Handlers.stubbornStarts.get(1) - Handlers.stubbornStarts.get(0);
			// Returned after 4 s; the waiting job tries again every 100 ms.
			assertThat(waited).isBetween(4000L, 6000L);
			assertThat(app.getBean(DeadJobs.class).count("default")).isEqualTo(1);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		static final List<Long> stubbornStarts = new CopyOnWriteArrayList<>();

		/**
		 * Times out after 1 s but ignores the interrupt and runs on for the payload's ms.
		 */
		@TaskHandler(value = "stubborn", concurrencyLimit = "1", timeout = "1s", maxRetries = "0")
		void stubborn(Integer millis, JobContext context) {
			long start = System.currentTimeMillis();
			stubbornStarts.add(start);
			while (System.currentTimeMillis() - start < millis) {
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					// Ignored, as a handler stuck in a call that cannot be interrupted.
				}
			}
		}

		@Autowired
		JobRecorder recorder;

		@TaskHandler(value = "report", concurrencyLimit = "1")
		void report(String customer, JobContext context) throws InterruptedException {
			run(customer, context);
		}

		@TaskHandler(value = "export", concurrencyLimit = "3")
		void export(String payload, JobContext context) throws InterruptedException {
			run("export", context);
		}

		private void run(String key, JobContext context) throws InterruptedException {
			int now = runningByKey.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
			maxByKey.computeIfAbsent(key, (k) -> new AtomicInteger()).accumulateAndGet(now, Math::max);
			maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
			try {
				Thread.sleep(50);
			}
			finally {
				running.decrementAndGet();
				runningByKey.get(key).decrementAndGet();
			}
			this.recorder.record(context.jobId().value());
		}

	}

}
