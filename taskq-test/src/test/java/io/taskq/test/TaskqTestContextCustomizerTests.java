package io.taskq.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import io.taskq.client.JobClient;
import io.taskq.test.ReminderApplication.Handlers;
import io.taskq.test.ReminderApplication.Reminder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis a {@code @TaskqTest} context starts lives exactly as long as the context:
 * taskq's listeners stop against a live Redis, then the server stops, so closing takes no
 * wait on a dead Redis and the JVM can exit at once.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskqTestContextCustomizerTests {

	@Test
	void redisStopsRightAfterTheContextClosesAndNotBefore(CapturedOutput output) {
		TaskqTestContextCustomizer customizer = new TaskqTestContextCustomizer(TaskqTest.Mode.REDIS);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ReminderApplication.class)
			.initializers((initializing) -> customizer.customizeContext(initializing, null))
			.run("--spring.main.web-application-type=none");
		int port = context.getEnvironment().getRequiredProperty("spring.data.redis.port", Integer.class);
		context.getBean(JobClient.class).enqueue("reminder.send", new Reminder("ada", "bye"));
		context.getBean(TestJobQueues.class).awaitIdle();
		assertThat(context.getBean(Handlers.class).reminded).containsExactly("ada:bye");
		assertThat(isListening(port)).isTrue();

		long started = System.nanoTime();
		context.close();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
		assertThat(isListening(port)).isFalse();
		assertThat(output).doesNotContain("retrying with backoff").doesNotContain("gave up");
	}

	@Test
	void contextsWithTheSameModeShareACachedContext() {
		assertThat(new TaskqTestContextCustomizer(TaskqTest.Mode.REDIS))
			.isEqualTo(new TaskqTestContextCustomizer(TaskqTest.Mode.REDIS))
			.isNotEqualTo(new TaskqTestContextCustomizer(TaskqTest.Mode.INLINE));
	}

	private static boolean isListening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
