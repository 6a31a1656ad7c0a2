package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.lettuce.core.cluster.SlotHash;
import io.taskq.testing.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Semantic 10 on a real three-node Redis Cluster: queues whose keys land on different
 * nodes deliver, delay, retry and dead-letter jobs unchanged, because every key of a
 * queue shares its hash tag.
 */
class ClusterIntegrationTests {

	static RedisCluster cluster;

	private final JobRecorder recorder = new JobRecorder();

	@BeforeAll
	static void startCluster() {
		cluster = RedisCluster.start(3);
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void queuesOnEveryNodeDeliverDelayRetryAndDeadLetter() {
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TaskqApp.Boot.class, Handlers.class)
			.web(WebApplicationType.NONE)
			.properties("spring.data.redis.cluster.nodes=" + cluster.nodes(), "spring.main.banner-mode=off",
					"spring.data.redis.repositories.enabled=false", "logging.level.root=WARN",
					"taskq.retry.delay=100ms", "taskq.retry.jitter=0ms", "taskq.retry.max-retries=1")
			.initializers((context) -> context.getBeanFactory().registerSingleton("jobRecorder", this.recorder))
			.run()) {
			JobClient jobs = app.getBean(JobClient.class);
			// The queues are spread over the nodes: the test would prove little on one
			// node.
			assertThat(List.of("alpha", "beta", "gamma", "delta")
				.stream()
				.map((queue) -> SlotHash.getSlot("taskq:{" + queue + "}:stream") * 3 / 16384)
				.distinct()).hasSizeGreaterThanOrEqualTo(2);
			List<JobId> ids = new ArrayList<>();
			List<JobRequest> bulk = new ArrayList<>();
			for (String queue : List.of("alpha", "beta", "gamma", "delta")) {
				for (int i = 0; i < 50; i++) {
					ids.add(jobs.enqueue("record." + queue, "n" + i));
					bulk.add(JobRequest.of("record." + queue, "bulk" + i));
				}
				ids.add(jobs.enqueueIn("record." + queue, "later", Duration.ofMillis(500)));
			}
			ids.addAll(jobs.enqueueAll(bulk));
			await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.distinctJobs() == ids.size());
			assertThat(this.recorder.duplicates()).isEmpty();
			JobId failing = jobs.enqueue("fail.alpha", "x");
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> dead.count("alpha") == 1);
			assertThat(dead.list("alpha", 0, 1).get(0).id()).isEqualTo(failing);
			assertThat(dead.list("alpha", 0, 1).get(0).attempts()).isEqualTo(2);
		}
	}

	@Test
	void poolOfQueuesOnDifferentNodesServesThemAll() throws Exception {
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TaskqApp.Boot.class, Handlers.class)
			.web(WebApplicationType.NONE)
			.properties("spring.data.redis.cluster.nodes=" + cluster.nodes(), "spring.main.banner-mode=off",
					"spring.data.redis.repositories.enabled=false", "logging.level.root=WARN",
					"taskq.pools.all.queues=alpha,beta,gamma,delta", "taskq.pools.all.concurrency=4",
					"taskq.poll-timeout=10s")
			.initializers((context) -> context.getBeanFactory().registerSingleton("jobRecorder", this.recorder))
			.run()) {
			JobClient jobs = app.getBean(JobClient.class);
			List<JobId> ids = new ArrayList<>();
			for (String queue : List.of("alpha", "beta", "gamma", "delta")) {
				for (int i = 0; i < 50; i++) {
					ids.add(jobs.enqueue("record." + queue, "n" + i));
				}
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.distinctJobs() == ids.size());
			// One read cannot span the slots, so an idle pool waits on one queue after
			// another, briefly each: a job of any queue still starts within a second.
			for (String queue : List.of("delta", "alpha", "gamma")) {
				Thread.sleep(300);
				JobId id = jobs.enqueue("record." + queue, "idle");
				await().atMost(Duration.ofSeconds(2)).until(() -> this.recorder.runs(id.value()) == 1);
			}
			assertThat(this.recorder.duplicates()).isEmpty();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		@TaskHandler(task = "record.alpha", queue = "alpha")
		void alpha(String payload, JobContext context) {
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler(task = "record.beta", queue = "beta")
		void beta(String payload, JobContext context) {
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler(task = "record.gamma", queue = "gamma")
		void gamma(String payload, JobContext context) {
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler(task = "record.delta", queue = "delta")
		void delta(String payload, JobContext context) {
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler(task = "fail.alpha", queue = "alpha")
		void fail(String payload) {
			throw new IllegalStateException("always");
		}

	}

}
