package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.JobClient;
import io.taskq.client.RedisCapacityException;
import io.taskq.testing.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Issue 3, capacity guard: with Redis at its maxmemory, enqueue fails fast with a
 * {@link RedisCapacityException} naming the queue and the memory figures; nothing already
 * queued is lost; once workers free the space, enqueue works again.
 */
class CapacityGuardIntegrationTests {

	private final JobRecorder recorder = new JobRecorder();

	@Test
	void enqueueFailsClearlyWhenRedisIsFullAndWorksAgainAfterTheQueueDrains() {
		String payload = "x".repeat(20_000);
		List<JobId> stored = new ArrayList<>();
		Handlers.failOnce = "";
		try (RedisServer redis = RedisServer.start("--maxmemory", "4mb", "--maxmemory-policy", "noeviction")) {
			RedisCapacityException refused = null;
			try (ConfigurableApplicationContext producer = TaskqApp.start(redis, Handlers.class, this.recorder,
					"taskq.listener.enabled=false", "taskq.capacity.refresh-interval=50ms")) {
				JobClient jobs = producer.getBean(JobClient.class);
				for (int i = 0; i < 1000 && refused == null; i++) {
					try {
						stored.add(jobs.enqueue("big", payload));
					}
					catch (RedisCapacityException ex) {
						refused = ex;
					}
				}
				if (refused == null) {
					fail("4 MB of Redis held 1000 jobs of 20 KB");
				}
				assertThat(refused.getQueue()).isEqualTo("default");
				assertThat(refused.getMaxMemory()).isEqualTo(4 * 1024 * 1024);
				assertThat(refused.getUsedMemory()).isPositive();
				assertThat(refused).hasMessageContaining("queue 'default'").hasMessageContaining("maxmemory 4194304");
				// Refused fast, before Redis is even asked, while the figures say it is
				// full.
				long start = System.nanoTime();
				RedisCapacityException again = null;
				try {
					jobs.enqueue("big", payload);
				}
				catch (RedisCapacityException ex) {
					again = ex;
				}
				assertThat(again).isNotNull();
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
				assertThat(Long.parseLong(redis.command("XLEN", "taskq:{default}:stream"))).isEqualTo(stored.size());
			}
			// The first job fails once: its retry must be written while Redis is still
			// full,
			// which Redis refuses until other jobs have freed space; it must not be lost
			// meanwhile.
			Handlers.failOnce = stored.get(0).value();
			try (ConfigurableApplicationContext worker = TaskqApp.start(redis, Handlers.class, this.recorder,
					"taskq.capacity.refresh-interval=50ms", "taskq.retry.delay=100ms")) {
				await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.distinctJobs() == stored.size());
				JobClient jobs = worker.getBean(JobClient.class);
				JobId after = await().atMost(Duration.ofSeconds(10))
					.ignoreException(RedisCapacityException.class)
					.until(() -> jobs.enqueue("big", payload), (id) -> id != null);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs(after.value()) == 1);
			}
			assertThat(this.recorder.jobIds()).containsAll(stored.stream().map(JobId::value).toList());
			assertThat(this.recorder.duplicates()).isEmpty();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		static volatile String failOnce = "";

		@TaskHandler("big")
		void big(String payload, JobContext context) {
			if (context.jobId().value().equals(failOnce) && context.attempt() == 1) {
				throw new IllegalStateException("first attempt fails");
			}
			this.recorder.record(context.jobId().value());
		}

	}

}
