package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
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
 * Semantics 1 (delivery through a consumer group, blocking reads, fetch bounded by free
 * slots), 2 (per-queue concurrency, several queues) and 3 (ack and delete).
 */
class DeliveryIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final JobRecorder recorder = new JobRecorder();

	@Test
	void tenThousandJobsAcrossTwoInstancesRunExactlyOnceEach() {
		try (ConfigurableApplicationContext first = TaskqApp.start(redis.server(), Handlers.class, this.recorder);
				ConfigurableApplicationContext second = TaskqApp.start(redis.server(), Handlers.class, this.recorder)) {
			JobClient jobs = first.getBean(JobClient.class);
			List<JobRequest> requests = new ArrayList<>();
			for (int i = 0; i < 10_000; i++) {
				requests.add(JobRequest.of("count", new Item(i)));
			}
			List<JobId> ids = jobs.enqueueAll(requests);
			assertThat(ids).doesNotHaveDuplicates().hasSize(10_000);
			await().atMost(Duration.ofSeconds(60)).until(() -> this.recorder.totalRuns() >= 10_000);
			assertThat(this.recorder.distinctJobs()).isEqualTo(10_000);
			assertThat(this.recorder.duplicates()).isEmpty();
			assertThat(this.recorder.jobIds())
				.containsExactlyInAnyOrderElementsOf(ids.stream().map(JobId::value).toList());
			// Acked and deleted: nothing left in the stream, nothing pending, no stray
			// keys.
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
				assertThat(redis.server().command("XPENDING", "taskq:{default}:stream", "taskq")).startsWith("0");
			});
			// Beside the streams, only the producer's record of calls done, the
			// registry of handled tasks (issue 16) and the fleet's figures and heartbeat
			// (issue 18; bounded and expiring, see DashboardApiIntegrationTests).
			assertThat(redis.server().command("KEYS", "*").split("\n"))
				.filteredOn((key) -> !key.contains(":sent:") && !key.startsWith("taskq:{fleet}:"))
				.containsExactlyInAnyOrder("taskq:{default}:stream", "taskq:{slow}:stream", "taskq:{default}:handlers",
						"taskq:{slow}:handlers");
			String[] sent = redis.server().command("KEYS", "*:sent:*").split("\n");
			assertThat(sent).hasSize(1);
			// It lapses a day after the producer's last call.
			assertThat(Long.parseLong(redis.server().command("PTTL", sent[0]))).isBetween(86_000_000L, 86_400_000L);
		}
	}

	@Test
	void neverRunsMoreJobsAtOnceThanTheQueueConcurrency() {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.queues.slow.concurrency=3")) {
			JobClient jobs = app.getBean(JobClient.class);
			for (int i = 0; i < 30; i++) {
				jobs.enqueue("slow", new Item(i));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.totalRuns() >= 30);
			assertThat(this.recorder.maxRunning()).isEqualTo(3);
			// Fetching is bounded by free slots: while 3 run, the rest wait in Redis,
			// undelivered.
			assertThat(this.recorder.distinctJobs()).isEqualTo(30);
		}
	}

	@Test
	void jobsWaitInRedisNotInMemoryWhileAllSlotsAreBusy() throws Exception {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.queues.slow.concurrency=2")) {
			JobClient jobs = app.getBean(JobClient.class);
			for (int i = 0; i < 10; i++) {
				jobs.enqueue("slow", new Item(i));
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.maxRunning() == 2);
			// Only the two running jobs were delivered to this consumer, and those that
			// finished but whose ack is still gathering with others (a few ms); the rest
			// are undelivered.
			String pending = redis.server().command("XPENDING", "taskq:{slow}:stream", "taskq");
			assertThat(Integer.parseInt(pending.split("\n")[0])).isLessThanOrEqualTo(2 + this.recorder.totalRuns());
			await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.totalRuns() >= 10);
		}
	}

	@Test
	void handlersGetTheirJobContext() {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder)) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId id = jobs.submit(JobRequest.of("context", new Item(7)).withHeader("tenant", "acme"));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs("ctx:" + id + ":acme:1:6") == 1);
		}
	}

	@Test
	void textBeyondAsciiInPayloadsAndHeadersArrivesIntact() {
		String text = "Gr\u00fc\u00dfe aus \u6771\u4eac \ud83d\ude80";
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder)) {
			JobClient jobs = app.getBean(JobClient.class);
			jobs.submit(JobRequest.of("note", new Note(text)).withHeader("city", "Z\u00fcrich"));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.recorder.runs("note:" + text + ":Z\u00fcrich") == 1);
		}
	}

	@Test
	void idleListenersBlockInsteadOfPolling() throws Exception {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.poll-timeout=2s")) {
			Thread.sleep(500);
			long before = commandCalls("xreadgroup");
			// Two queues, reads blocking 2 s each: at most a few reads in 3 s, not
			// hundreds.
			Thread.sleep(3000);
			long reads = commandCalls("xreadgroup") - before;
			assertThat(reads).isBetween(1L, 6L);
		}
	}

	private static long commandCalls(String command) {
		String stats = redis.server().command("INFO", "commandstats");
		for (String line : stats.split("\r?\n")) {
			if (line.startsWith("cmdstat_" + command + ":")) {
				String calls = line.substring(line.indexOf("calls=") + 6);
				return Long.parseLong(calls.substring(0, calls.indexOf(',')));
			}
		}
		return 0;
	}

	record Item(int number) {
	}

	record Note(String text) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		@TaskHandler("count")
		void count(Item item, JobContext context) {
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler(task = "slow", queue = "slow")
		void slow(Item item, JobContext context) throws InterruptedException {
			this.recorder.started();
			Thread.sleep(100);
			this.recorder.finished(context.jobId().value());
		}

		@TaskHandler("note")
		void note(Note note, JobContext context) {
			this.recorder.record("note:" + note.text() + ":" + context.headers().get("city"));
		}

		@TaskHandler("context")
		void context(JobContext context, Item item) {
			this.recorder.record("ctx:" + context.jobId() + ":" + context.headers().get("tenant") + ":"
					+ context.attempt() + ":" + context.maxAttempts());
		}

	}

}
