package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import io.taskq.annotation.TaskHandler;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.testing.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4, scenario 6 (and semantic 3 of the core): after a million no-op jobs are
 * enqueued and drained, Redis memory is back within a few MB of where it started: entries
 * leave the stream once acknowledged and nothing per job is left behind.
 * {@code -Dtaskq.test.memory-jobs=N} changes the count.
 */
class MemoryBaselineIntegrationTests {

	static final AtomicLong done = new AtomicLong();

	private final JobRecorder recorder = new JobRecorder();

	@Test
	void memoryReturnsToBaselineAfterAMillionJobs() {
		int total = Integer.getInteger("taskq.test.memory-jobs", 1_000_000);
		done.set(0);
		try (RedisServer redis = RedisServer.start();
				ConfigurableApplicationContext app = TaskqApp.start(redis, Handlers.class, this.recorder,
						"taskq.concurrency=32")) {
			JobClient jobs = app.getBean(JobClient.class);
			jobs.enqueue("noop", null);
			await().atMost(Duration.ofSeconds(10)).until(() -> done.get() == 1);
			long before = usedMemory(redis);
			List<JobRequest> batch = new ArrayList<>();
			for (int i = 0; i < 10_000; i++) {
				batch.add(JobRequest.of("noop", null));
			}
			long peak = 0;
			for (int sent = 0; sent < total; sent += batch.size()) {
				jobs.enqueueAll(batch);
				if (sent % 200_000 == 0) {
					peak = Math.max(peak, usedMemory(redis));
				}
			}
			await().atMost(Duration.ofMinutes(5)).until(() -> done.get() == total + 1);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "0".equals(redis.command("XLEN", "taskq:{default}:stream")));
			long after = usedMemory(redis);
			FaultReport.add(String.format(Locale.ROOT,
					"memory: %d jobs, used_memory before %d, peak sampled %d, after %d bytes", total, before, peak,
					after));
			assertThat(after - before).isLessThan(3L * 1024 * 1024);
			// The stream, the producer's record of calls done and the registry of
			// handled tasks (issue 16), beside the fleet's figures and heartbeat (issue
			// 18: bounded and expiring).
			assertThat(redis.command("KEYS", "*").split("\n")).filteredOn((key) -> !key.startsWith("taskq:{fleet}:"))
				.hasSize(3);
			assertThat(redis.command("EXISTS", "taskq:{default}:handlers")).isEqualTo("1");
		}
	}

	private static long usedMemory(RedisServer redis) {
		for (String line : redis.command("INFO", "memory").split("\r?\n")) {
			if (line.startsWith("used_memory:")) {
				return Long.parseLong(line.substring("used_memory:".length()).trim());
			}
		}
		throw new IllegalStateException("No used_memory in INFO");
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@TaskHandler("noop")
		void noop() {
			done.incrementAndGet();
		}

	}

}
