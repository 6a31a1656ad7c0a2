package io.taskq.integration;

import java.time.Duration;
import java.util.List;

import io.taskq.JobId;
import io.taskq.JobSerializationException;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Semantic 7: input that can never run goes to the dead letters at once with a clear
 * reason, logged once with the job id; healthy jobs around it are unaffected.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadInputIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final JobRecorder recorder = new JobRecorder();

	@Test
	void payloadThatDoesNotDeserializeIsDeadAtOnce(CapturedOutput output) {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder)) {
			redis.server()
				.command("XADD", "taskq:{default}:stream", "*", "id", "bad-1", "task", "order", "payload",
						"{\"quantity\":\"many\"}", "created", "1");
			JobId good = app.getBean(JobClient.class).enqueue("order", new Order(2));
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs(good.value()) == 1);
			DeadJob job = dead.list("default", 0, 1).get(0);
			assertThat(job.id().value()).isEqualTo("bad-1");
			assertThat(job.attempts()).isEqualTo(1);
			assertThat(job.reason()).contains("does not deserialize to " + Order.class.getName());
			assertThat(this.recorder.runs("bad-1")).isZero();
			assertThat(output).containsOnlyOnce("Job bad-1 (order on queue default) goes to the dead letters");
			assertThat(output).doesNotContain("many");
		}
	}

	/**
	 * By default such a job waits for an instance that has the handler (issue 16, point
	 * 15; see {@code RollingDeployIntegrationTests}); without a grace time it dies at
	 * once, as before.
	 */
	@Test
	void unknownTaskIsDeadAtOnceWithoutAGraceTime(CapturedOutput output) {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.unhandled-task-grace=0")) {
			JobId id = app.getBean(JobClient.class).enqueue("nobody.handles.this", new Order(1));
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 1);
			DeadJob job = dead.list("default", 0, 1).get(0);
			assertThat(job.id()).isEqualTo(id);
			assertThat(job.attempts()).isZero();
			assertThat(job.reason())
				.startsWith("no handler for task 'nobody.handles.this' on queue 'default': dead at"
						+ " once, as taskq.unhandled-task-grace is 0; no instance reports a handler for it;"
						+ " tasks handled on this queue: 'order' (by ")
				.endsWith("deploy a handler for 'nobody.handles.this' on queue 'default' (or enqueue the task to the"
						+ " queue its handler listens on), then retry the dead job");
			assertThat(redis.server().command("ZCARD", "taskq:{default}:delayed")).isEqualTo("0");
			assertThat(output)
				.containsOnlyOnce("Job " + id + " (nobody.handles.this on queue default) goes to the dead letters");
		}
	}

	@Test
	void entryThatIsNotAJobIsDeadAtOnce() {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder)) {
			redis.server().command("XADD", "taskq:{default}:stream", "*", "hello", "world");
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 1);
			assertThat(dead.list("default", 0, 1).get(0).reason()).startsWith("malformed stream entry");
			assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
		}
	}

	/** Issue 16, point 13: such entries reached the handler as null and were retried. */
	@Test
	void entryWithoutPayloadForAHandlerThatTakesOneIsDeadAtOnce(CapturedOutput output) {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder)) {
			redis.server()
				.command("XADD", "taskq:{default}:stream", "*", "id", "empty-1", "task", "order", "created", "1");
			redis.server()
				.command("XADD", "taskq:{default}:stream", "*", "id", "empty-2", "task", "order", "payload", "null",
						"created", "1");
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 2);
			for (DeadJob job : dead.list("default", 0, 2)) {
				assertThat(job.attempts()).isEqualTo(1);
				assertThat(job.reason()).startsWith("malformed job " + job.id() + ": it has no payload")
					.contains(Order.class.getName());
			}
			assertThat(this.recorder.runs("empty-1") + this.recorder.runs("empty-2")).isZero();
			assertThat(output).doesNotContain("retrying");
			assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
		}
	}

	@Test
	void payloadThatCannotBeSerializedFailsAtTheCallSite() {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder)) {
			JobClient jobs = app.getBean(JobClient.class);
			assertThatExceptionOfType(JobSerializationException.class)
				.isThrownBy(() -> jobs.enqueue("order", new Unwritable()))
				.withMessageContaining(Unwritable.class.getName());
			assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
			assertThatExceptionOfType(JobSerializationException.class)
				.isThrownBy(() -> jobs.enqueueAll(List.of(io.taskq.client.JobRequest.of("order", new Order(1)),
						io.taskq.client.JobRequest.of("order", new Unwritable()))));
			assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
		}
	}

	record Order(int quantity) {
	}

	static class Unwritable {

		public String getValue() {
			throw new IllegalStateException("cannot be read");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		@TaskHandler("order")
		void order(Order order, io.taskq.JobContext context) {
			this.recorder.record(context.jobId().value());
		}

	}

}
