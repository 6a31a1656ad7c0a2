package io.taskq.integration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.JobClient;
import io.taskq.listener.ListenerContainerRegistry;
import io.taskq.testing.RedisServer;
import org.junit.jupiter.api.BeforeEach;
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
 * Issue 16, point 8: stopping is bounded by the shutdown timeout plus
 * {@link ListenerContainerRegistry#SHUTDOWN_MARGIN} whatever Redis does, even though a
 * Redis call would wait for the command timeout, and it logs what it abandoned. Nothing
 * is lost: the abandoned jobs stay pending and another instance reclaims them.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownWithoutRedisIntegrationTests {

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

	/** What any stop must stay within, whatever Redis does. */
	private static final Duration BOUND = SHUTDOWN_TIMEOUT.plus(ListenerContainerRegistry.SHUTDOWN_MARGIN);

	static final AtomicInteger started = new AtomicInteger();

	private final JobRecorder recorder = new JobRecorder();

	@BeforeEach
	void reset() {
		started.set(0);
	}

	@Test
	void stopIsBoundedWhileRedisIsFrozenAndAbandonedJobsAreReclaimed(CapturedOutput output) {
		try (RedisServer redis = RedisServer.start()) {
			ConfigurableApplicationContext app = start(redis);
			JobClient jobs = app.getBean(JobClient.class);
			// One finishes within the shutdown timeout (its outcome cannot be written),
			// one runs past it (it is abandoned).
			JobId quick = jobs.enqueue("hold", 1000);
			JobId slow = jobs.enqueue("hold", 6000);
			await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 2);
			redis.freeze();
			try {
				assertThat(timeToClose(app)).isLessThan(BOUND);
				assertThat(output).contains("1 jobs of queue 'default' still running after PT2S");
				assertThat(output).contains("1 job outcomes of queue 'default' not written");
				assertThat(output).contains("stay pending and will be reclaimed after the visibility timeout");
				assertThat(nonDaemonTaskqThreads()).isEmpty();
			}
			finally {
				redis.thaw();
			}
			assertReclaimedByNextInstance(redis, quick, slow);
		}
	}

	@Test
	void stopIsBoundedWhileRedisIsDownAndUnwrittenOutcomesAreReclaimed(CapturedOutput output) {
		// Persisted, so that the stream survives the outage for the reclaim to be seen.
		try (RedisServer redis = RedisServer.start("--appendonly", "yes", "--appendfsync", "always")) {
			ConfigurableApplicationContext app = start(redis);
			JobClient jobs = app.getBean(JobClient.class);
			JobId first = jobs.enqueue("hold", 1000);
			JobId second = jobs.enqueue("hold", 1200);
			await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 2);
			redis.stop();
			try {
				assertThat(timeToClose(app)).isLessThan(BOUND);
				assertThat(output).doesNotContain("still running after");
				assertThat(output).contains("2 job outcomes of queue 'default' not written");
				assertThat(nonDaemonTaskqThreads()).isEmpty();
			}
			finally {
				redis.restart();
			}
			assertReclaimedByNextInstance(redis, first, second);
		}
	}

	@Test
	void stopIsBoundedWhileRedisIsFrozenAndNoJobRuns(CapturedOutput output) {
		try (RedisServer redis = RedisServer.start()) {
			ConfigurableApplicationContext app = start(redis);
			JobId done = app.getBean(JobClient.class).enqueue("hold", 0);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs(done.value()) == 1);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> redis.command("XPENDING", "taskq:{default}:stream", "taskq").startsWith("0"));
			redis.freeze();
			try {
				assertThat(timeToClose(app)).isLessThan(BOUND);
				assertThat(output).contains("Did not leave the consumer groups of queue 'default'");
				assertThat(output).doesNotContain("not written");
				assertThat(nonDaemonTaskqThreads()).isEmpty();
			}
			finally {
				redis.thaw();
			}
		}
	}

	private ConfigurableApplicationContext start(RedisServer redis) {
		// A Redis call to a frozen or stopped server waits for the command timeout.
		return TaskqApp.start(redis, Handlers.class, this.recorder,
				"taskq.shutdown-timeout=" + SHUTDOWN_TIMEOUT.toMillis() + "ms", "spring.data.redis.timeout=30s",
				"taskq.concurrency=2", "taskq.poll-timeout=1s");
	}

	private static Duration timeToClose(ConfigurableApplicationContext app) {
		long closing = System.nanoTime();
		app.close();
		return Duration.ofNanos(System.nanoTime() - closing);
	}

	/**
	 * Jobs whose outcomes were not written are run again by the next instance; the
	 * outcome of one that finished may still have been written, if it sat in a frozen
	 * server's socket and ran on the thaw. Either way no job is lost.
	 */
	private void assertReclaimedByNextInstance(RedisServer redis, JobId... ids) {
		int[] before = new int[ids.length];
		for (int i = 0; i < ids.length; i++) {
			before[i] = this.recorder.runs(ids[i].value());
		}
		try (ConfigurableApplicationContext next = TaskqApp.start(redis, Handlers.class, this.recorder,
				"taskq.visibility-timeout=1s")) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> redis.command("XPENDING", "taskq:{default}:stream", "taskq").startsWith("0"));
		}
		for (int i = 0; i < ids.length; i++) {
			int runs = this.recorder.runs(ids[i].value());
			assertThat(runs).as("runs of %s", ids[i]).isBetween(1, before[i] + 1);
		}
	}

	private static List<String> nonDaemonTaskqThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && !thread.isDaemon() && thread.getName().startsWith("taskq"))
			.map(Thread::getName)
			.toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		@TaskHandler("hold")
		void hold(Integer millis, JobContext context) throws InterruptedException {
			started.incrementAndGet();
			Thread.sleep(millis);
			this.recorder.record(context.jobId().value());
		}

	}

}
