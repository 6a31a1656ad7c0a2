package io.taskq.integration;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.boot.actuate.endpoint.TaskqEndpoint;
import io.taskq.boot.actuate.endpoint.TaskqEndpoint.QueueDescriptor;
import io.taskq.boot.actuate.endpoint.TaskqEndpoint.TaskqDescriptor;
import io.taskq.boot.health.TaskqHealthIndicator;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.listener.ListenerContainerRegistry;
import io.taskq.testing.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 3 (second part): the health indicator, the {@code taskq} endpoint and the
 * Prometheus format, checked after running known jobs on a real Redis.
 */
class HealthAndEndpointIntegrationTests {

	static volatile CountDownLatch gate = new CountDownLatch(0);

	private final JobRecorder recorder = new JobRecorder();

	private ConfigurableApplicationContext start(RedisServer redis, String... extra) {
		String[] properties = new String[extra.length + 6];
		properties[0] = "management.endpoints.web.exposure.include=taskq,health";
		properties[1] = "taskq.retry.max-retries=0";
		properties[2] = "taskq.queues.gated.concurrency=1";
		properties[3] = "taskq.health.max-wait=300ms";
		properties[4] = "taskq.metrics.refresh-interval=200ms";
		properties[5] = "spring.data.redis.timeout=2s";
		System.arraycopy(extra, 0, properties, 6, extra.length);
		return TaskqApp.start(redis, Handlers.class, this.recorder, properties);
	}

	@Test
	void endpointShowsQueuesConsumersSlowestTasksAndDeadJobsAndRetriesThem() {
		try (RedisServer redis = RedisServer.start(); ConfigurableApplicationContext app = start(redis)) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId slow = jobs.enqueue("sleep", 200);
			JobId quick = jobs.enqueue("sleep", 1);
			JobId dead = jobs.enqueue("fail", "x");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.recorder.runs(slow.value()) == 1 && this.recorder.runs(quick.value()) == 1
						&& app.getBean(DeadJobs.class).count("default") == 1);
			TaskqEndpoint endpoint = app.getBean(TaskqEndpoint.class);
			// Timings are recorded just after the handler returns.
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(endpoint.taskq().slowestTasks().get(0).count()).isEqualTo(2));
			TaskqDescriptor all = endpoint.taskq();
			assertThat(all.queues()).containsOnlyKeys("default", "gated");
			QueueDescriptor queue = all.queues().get("default");
			assertThat(queue.figures().dead()).isEqualTo(1);
			assertThat(queue.figures().ready()).isZero();
			assertThat(queue.recentDead()).singleElement().satisfies((job) -> {
				assertThat(job.id()).isEqualTo(dead);
				assertThat(job.reason()).contains("always");
				assertThat(job.attempts()).isEqualTo(1);
			});
			String consumer = app.getBean(ListenerContainerRegistry.class).options().consumerName();
			assertThat(queue.consumers()).anySatisfy((c) -> assertThat(c.name()).isEqualTo(consumer));
			assertThat(all.slowestTasks().get(0).task()).isEqualTo("sleep");
			assertThat(all.slowestTasks().get(0).max()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
			assertThat(all.slowestTasks().get(0).count()).isEqualTo(2);
			assertThat(endpoint.retryDead("default", dead.value())).containsEntry("retried", 1L);
			await().atMost(Duration.ofSeconds(10)).until(() -> Handlers.failures == 2);
			await().atMost(Duration.ofSeconds(10)).until(() -> app.getBean(DeadJobs.class).count("default") == 1);
			assertThat(endpoint.deleteDead("default", dead.value())).containsEntry("deleted", true);
			assertThat(endpoint.queue("default").figures().dead()).isZero();
		}
	}

	@Test
	void healthIsUpThenDegradedWhenAQueueFallsBehindThenDownWithoutRedis() {
		gate = new CountDownLatch(1);
		try (RedisServer redis = RedisServer.start(); ConfigurableApplicationContext app = start(redis)) {
			TaskqHealthIndicator health = app.getBean(TaskqHealthIndicator.class);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			JobClient jobs = app.getBean(JobClient.class);
			jobs.enqueue("gated", 1);
			jobs.enqueue("gated", 2);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				Health degraded = health.health();
				assertThat(degraded.getStatus()).isEqualTo(new Status("DEGRADED"));
				assertThat(degraded.getDetails().get("queues").toString()).contains("gated")
					.contains("oldest ready job has waited longer than PT0.3S");
			});
			gate.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> health.health().getStatus().equals(Status.UP));
			redis.kill();
			assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
		}
		finally {
			gate.countDown();
		}
	}

	@Test
	void healthReportsRedisMemoryAboveItsShare() {
		try (RedisServer redis = RedisServer.start("--maxmemory", "100mb");
				ConfigurableApplicationContext app = start(redis, "taskq.health.max-memory-usage=0.001")) {
			Health health = app.getBean(TaskqHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(new Status("DEGRADED"));
			assertThat(health.getDetails()).containsEntry("maxMemory", 104857600L).containsKey("memoryProblem");
		}
	}

	@Test
	void metersAppearInPrometheusFormat() {
		try (RedisServer redis = RedisServer.start();
				ConfigurableApplicationContext app = start(redis, "test.prometheus=true")) {
			JobId id = app.getBean(JobClient.class).submit(JobRequest.of("sleep", 5));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs(id.value()) == 1);
			PrometheusMeterRegistry prometheus = app.getBean(PrometheusMeterRegistry.class);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(prometheus.scrape())
					.contains(
							"taskq_job_execution_seconds_count{outcome=\"success\",queue=\"default\",task=\"sleep\"} 1")
					.contains("taskq_job_wait_seconds_count{queue=\"default\",task=\"sleep\"} 1")
					.contains("taskq_jobs_enqueued_total{queue=\"default\"} 1")
					.contains("taskq_queue_ready{queue=\"default\"} 0")
					.contains("taskq_queue_in_flight{queue=\"default\"} 0")
					.contains("taskq_queue_lag{queue=\"default\"} 0"));
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		static volatile int failures;

		@Autowired
		JobRecorder recorder;

		@Bean
		PrometheusMeterRegistry prometheusMeterRegistry() {
			return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		}

		@TaskHandler("sleep")
		void sleep(Integer millis, JobContext context) throws InterruptedException {
			Thread.sleep(millis);
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler("fail")
		void fail(String payload) {
			failures++;
			throw new IllegalStateException("always");
		}

		@TaskHandler(task = "gated", queue = "gated")
		void gated(Integer number) throws InterruptedException {
			gate.await(30, TimeUnit.SECONDS);
		}

	}

}
