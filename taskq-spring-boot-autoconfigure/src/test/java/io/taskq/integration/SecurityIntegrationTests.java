package io.taskq.integration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.JobState;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.CancelResult;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.client.Uniqueness;
import io.taskq.fleet.FleetReader;
import io.taskq.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hygiene: payloads are plain JSON (a crafted payload naming a class instantiates
 * nothing), taskq works as a Redis ACL user allowed only the commands and keys
 * docs/reference.md lists (read from that page), and payloads never reach the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityIntegrationTests {

	/** Where the ACL users are told to grant is documented. */
	private static final Path ACL_DOC = Path.of("..", "docs", "reference.md");

	/** Lettuce's handshake, granted apart from the documented list. */
	private static final List<String> HANDSHAKE = List.of("+hello", "+auth", "+client|setname");

	static final AtomicReference<Object> received = new AtomicReference<>();

	static final AtomicBoolean gadgetBuilt = new AtomicBoolean();

	private final JobRecorder recorder = new JobRecorder();

	@Test
	void payloadNamingAClassDoesNotInstantiateIt() {
		try (RedisServer redis = RedisServer.start();
				ConfigurableApplicationContext app = TaskqApp.start(redis, Handlers.class, this.recorder)) {
			redis.command("XADD", "taskq:{default}:stream", "*", "id", "crafted", "task", "anything", "payload",
					"{\"@class\":\"" + Gadget.class.getName() + "\",\"command\":\"touch /tmp/pwned\"}", "created", "1");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs("crafted") == 1);
			assertThat(gadgetBuilt).isFalse();
			assertThat(received.get()).isInstanceOf(Map.class);
			assertThat(redis.command("KEYS", "*")).doesNotContain("java");
		}
	}

	@Test
	void runsAsAnAclUserLimitedToTheDocumentedCommandsAndItsKeys(CapturedOutput output) throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			// Only Lettuce's handshake (HELLO, AUTH, CLIENT SETNAME) beyond the list; its
			// CLIENT SETINFO is refused and Lettuce carries on without it.
			String reply = redis.command("ACL", "SETUSER", "taskq", "on", ">s3cret", "resetkeys", "~taskq:*",
					"resetchannels", "&taskq:*", "-@all", "+hello", "+client|setname", "+auth");
			assertThat(reply).isEqualTo("OK");
			List<String> documented = documentedCommands();
			assertThat(documented).contains("+xadd", "+xreadgroup", "+evalsha");
			for (String command : documented) {
				assertThat(redis.command("ACL", "SETUSER", "taskq", command)).isEqualTo("OK");
			}
			redis.command("ACL", "SETUSER", "default", "off");
			try (ConfigurableApplicationContext app = TaskqApp.start(redis, Handlers.class, this.recorder,
					"spring.data.redis.username=taskq", "spring.data.redis.password=s3cret", "taskq.retry.delay=50ms",
					"taskq.retry.jitter=0ms", "taskq.visibility-timeout=1s", "taskq.stats.report-interval=100ms")) {
				JobClient jobs = app.getBean(JobClient.class);
				JobId now = jobs.enqueue("anything", Map.of("secret", "card-4111"));
				JobId later = jobs.enqueueIn("anything", "later", Duration.ofMillis(200));
				JobId failing = jobs.submit(JobRequest.of("refuse", "card-4111").withMaxRetries(1));
				await().atMost(Duration.ofSeconds(10))
					.until(() -> this.recorder.runs(now.value()) == 1 && this.recorder.runs(later.value()) == 1);
				DeadJobs dead = app.getBean(DeadJobs.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 1);
				assertThat(dead.retry("default", failing)).isTrue();
				await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 1);
				JobId controlled = jobs.submit(JobRequest.of("anything", "controlled")
					.withTracking()
					.withUniqueness(Uniqueness.byKey("u"))
					.withConcurrencyKey("c")
					.withTimeout(Duration.ofSeconds(5)));
				assertThat(jobs.whenFinished("default", controlled).get(10, TimeUnit.SECONDS).state())
					.isEqualTo(JobState.SUCCEEDED);
				JobId waiting = jobs.enqueueIn("anything", "waiting", Duration.ofMinutes(1));
				assertThat(jobs.cancel("default", waiting)).isEqualTo(CancelResult.CANCELLED);
				assertThat(jobs.cancel("default", JobId.of("not-there"))).isEqualTo(CancelResult.REQUESTED);
				// The fleet figures and heartbeat the dashboard reads.
				FleetReader fleet = app.getBean(FleetReader.class);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> fleet.window("hour").tasks().size() == 2 && fleet.instances().size() == 1
							&& !fleet.slowRuns("default", "anything").isEmpty());
			}
			assertThat(output).doesNotContain("NOPERM").doesNotContain("card-4111");
		}
	}

	public static class Gadget {

		public Gadget() {
			gadgetBuilt.set(true);
		}

		public void setCommand(String command) {
			gadgetBuilt.set(true);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		@TaskHandler("anything")
		void anything(Object payload, JobContext context) {
			received.set(payload);
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler("refuse")
		void refuse(String payload) {
			throw new IllegalStateException("refused");
		}

	}

	/**
	 * The commands of the documented {@code ACL SETUSER taskq ...} block, so that the
	 * test runs with exactly what users are told to grant.
	 */
	private static List<String> documentedCommands() throws IOException {
		String doc = Files.readString(ACL_DOC);
		int start = doc.indexOf("ACL SETUSER taskq");
		assertThat(start).as("the ACL block in " + ACL_DOC).isNotNegative();
		String block = doc.substring(start, doc.indexOf("```", start));
		return Arrays.stream(block.split("\\s+"))
			.filter((token) -> token.startsWith("+") && !HANDSHAKE.contains(token))
			.toList();
	}

}
