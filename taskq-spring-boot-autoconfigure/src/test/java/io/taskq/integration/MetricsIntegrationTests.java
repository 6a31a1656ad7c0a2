package io.taskq.integration;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 3 (first part): Micrometer timers, counters and cached queue gauges, and the
 * slow-task log, checked after running known jobs on a real Redis.
 */
@ExtendWith(OutputCaptureExtension.class)
class MetricsIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	static volatile CountDownLatch gate = new CountDownLatch(0);

	private final JobRecorder recorder = new JobRecorder();

	private ConfigurableApplicationContext start() {
		return TaskqApp.start(redis.server(), Handlers.class, this.recorder, "taskq.retry.delay=100ms",
				"taskq.retry.jitter=0ms", "taskq.metrics.refresh-interval=200ms", "taskq.queues.gated.concurrency=1",
				"taskq.visibility-timeout=1s", "taskq.unhandled-task-grace=0");
	}

	@Test
	void executionWaitAndLatenessTimersAndCounters(CapturedOutput output) {
		try (ConfigurableApplicationContext app = start()) {
			MeterRegistry meters = app.getBean(MeterRegistry.class);
			JobClient jobs = app.getBean(JobClient.class);
			JobId slow = jobs.enqueue("sleep", 200);
			JobId failing = jobs.submit(JobRequest.of("fail", "x").withMaxRetries(1));
			JobId delayed = jobs.enqueueIn("sleep", 0, Duration.ofMillis(300));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.recorder.runs(slow.value()) == 1 && this.recorder.runs(delayed.value()) == 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> counter(meters, "taskq.jobs.dead", "fail") == 1);

			Timer success = meters.get("taskq.job.execution")
				.tags("queue", "default", "task", "sleep", "outcome", "success")
				.timer();
			// Meters are recorded just after the handler returns.
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(success.count()).isEqualTo(2));
			assertThat(success.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(200);
			assertThat(meters.get("taskq.job.execution").tags("task", "fail", "outcome", "retry").timer().count())
				.isEqualTo(1);
			assertThat(meters.get("taskq.job.execution").tags("task", "fail", "outcome", "dead").timer().count())
				.isEqualTo(1);
			assertThat(meters.get("taskq.job.wait").tags("queue", "default", "task", "sleep").timer().count())
				.isEqualTo(2);
			Timer lateness = meters.get("taskq.job.lateness").tags("queue", "default", "task", "sleep").timer();
			assertThat(lateness.count()).isEqualTo(1);
			assertThat(lateness.max(TimeUnit.MILLISECONDS)).isLessThan(5000);
			assertThat(meters.get("taskq.jobs.enqueued").tags("queue", "default").counter().count()).isEqualTo(3);
			assertThat(counter(meters, "taskq.jobs.retried", "fail")).isEqualTo(1);
			assertThat(app.getBean(DeadJobs.class).list("default", 0, 10)).extracting(DeadJob::id)
				.containsExactly(failing);
			// The 200 ms job is under the global 10 s threshold; only the handler with
			// its own 100 ms is slow.
			assertThat(output).doesNotContain("Slow job " + slow);
		}
	}

	@Test
	void slowJobIsLoggedOnceWithoutItsPayload(CapturedOutput output) {
		try (ConfigurableApplicationContext app = start()) {
			JobId id = app.getBean(JobClient.class).enqueue("slowish", "secret-payload");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs(id.value()) == 1);
			// The line is written just after the handler returns.
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(output).contains("Slow job " + id + " (slowish on queue default)"));
			assertThat(output).containsOnlyOnce("Slow job " + id + " (slowish on queue default) took ");
			assertThat(output).contains("over its threshold of 100 ms").doesNotContain("secret-payload");
		}
	}

	@Test
	void queueGaugesShowReadyInFlightDelayedAndDead() {
		gate = new CountDownLatch(1);
		try (ConfigurableApplicationContext app = start()) {
			MeterRegistry meters = app.getBean(MeterRegistry.class);
			JobClient jobs = app.getBean(JobClient.class);
			// First a job no handler takes, dead at once (no grace time), while the
			// single slot is still free.
			jobs.submit(JobRequest.of("nobody", "x").withQueue("gated"));
			await().atMost(Duration.ofSeconds(10)).until(() -> gauge(meters, "taskq.queue.dead") == 1);
			for (int i = 0; i < 4; i++) {
				jobs.enqueue("gated", i);
			}
			jobs.enqueueIn("gated", 9, Duration.ofHours(1));
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(gauge(meters, "taskq.queue.in.flight")).isEqualTo(1);
				assertThat(gauge(meters, "taskq.queue.ready")).isEqualTo(4);
				assertThat(gauge(meters, "taskq.queue.lag")).isEqualTo(3);
				assertThat(gauge(meters, "taskq.queue.delayed")).isEqualTo(1);
				assertThat(gauge(meters, "taskq.queue.dead")).isEqualTo(1);
				assertThat(gauge(meters, "taskq.queue.oldest.age")).isGreaterThan(0);
			});
			gate.countDown();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(gauge(meters, "taskq.queue.ready")).isZero();
				assertThat(gauge(meters, "taskq.queue.in.flight")).isZero();
				assertThat(gauge(meters, "taskq.queue.lag")).isZero();
			});
		}
		finally {
			gate.countDown();
		}
	}

	@Test
	void reclaimedJobsAreCounted() {
		redis.server().command("XGROUP", "CREATE", "taskq:{default}:stream", "taskq", "0", "MKSTREAM");
		try (ConfigurableApplicationContext app = start()) {
			app.getBean(JobClient.class).enqueue("sleep", 0);
		}
		// Left pending by a consumer that died right after reading it.
		redis.flushAll();
		redis.server().command("XGROUP", "CREATE", "taskq:{default}:stream", "taskq", "0", "MKSTREAM");
		redis.server()
			.command("XADD", "taskq:{default}:stream", "*", "id", "orphan", "task", "sleep", "payload", "0", "created",
					"1");
		redis.server()
			.command("XREADGROUP", "GROUP", "taskq", "dead-consumer", "COUNT", "1", "STREAMS", "taskq:{default}:stream",
					">");
		try (ConfigurableApplicationContext app = start()) {
			MeterRegistry meters = app.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs("orphan") == 1);
			assertThat(counter(meters, "taskq.jobs.reclaimed", "sleep")).isEqualTo(1);
		}
	}

	private static double counter(MeterRegistry meters, String name, String task) {
		var counter = meters.find(name).tag("task", task).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static double gauge(MeterRegistry meters, String name) {
		return meters.get(name).tag("queue", "gated").gauge().value();
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@TaskHandler("sleep")
		void sleep(Integer millis, JobContext context) throws InterruptedException {
			Thread.sleep(millis);
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler(task = "slowish", slowThreshold = "100ms")
		void slowish(String payload, JobContext context) throws InterruptedException {
			Thread.sleep(300);
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler("fail")
		void fail(String payload) {
			throw new IllegalStateException("always");
		}

		@TaskHandler(task = "gated", queue = "gated")
		void gated(Integer number) throws InterruptedException {
			gate.await(30, TimeUnit.SECONDS);
		}

	}

}
