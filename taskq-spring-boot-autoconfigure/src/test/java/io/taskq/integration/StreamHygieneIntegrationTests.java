package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.support.QueueStats;
import io.taskq.support.QueueStatsReader;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the stream and its group keep: finished entries go whichever way the last job
 * ended, but never before another group has read them; the ready figure counts only jobs
 * not finished; consumers of crashed instances leave the group.
 */
class StreamHygieneIntegrationTests {

	private static final String STREAM = "taskq:{default}:stream";

	private static final Pattern JOB_ID = Pattern.compile("\\bid\\n([0-9A-Z]{26})\\n");

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final JobRecorder recorder = new JobRecorder();

	/** Issue 16, point 7: the ack trimmed by taskq's group alone. */
	@Test
	void secondGroupOnTheStreamStillReadsEveryJob() {
		redis.server().command("XGROUP", "CREATE", STREAM, "audit", "0", "MKSTREAM");
		redis.server().command("XGROUP", "CREATE", STREAM, "taskq", "0");
		List<JobId> ids = new ArrayList<>();
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder)) {
			JobClient jobs = app.getBean(JobClient.class);
			List<JobRequest> requests = new ArrayList<>();
			for (int i = 0; i < 300; i++) {
				requests.add(JobRequest.of("quick", "x"));
			}
			ids.addAll(jobs.enqueueAll(requests));
			ids.add(jobs.submit(JobRequest.of("quick", "x").withTracking()));
			ids.add(jobs.enqueue("doomed", "x"));
			await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.distinctJobs() == ids.size() - 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> app.getBean(DeadJobs.class).count("default") == 1);
		}
		String read = redis.server()
			.command("XREADGROUP", "GROUP", "audit", "reader", "COUNT", "1000", "STREAMS", STREAM, ">");
		Set<String> seen = new HashSet<>();
		Matcher matcher = JOB_ID.matcher(read);
		while (matcher.find()) {
			seen.add(matcher.group(1));
		}
		assertThat(seen).containsAll(ids.stream().map(JobId::value).toList());
	}

	/**
	 * Issue 16, point 12: finished entries a crashed consumer acknowledged stayed until
	 * another job was acknowledged; a dead letter or retry did not remove them.
	 */
	@Test
	void finishedEntriesOfACrashedConsumerGoWhenTheLastJobIsDeadLettered() {
		redis.server().command("XGROUP", "CREATE", STREAM, "taskq", "0", "MKSTREAM");
		redis.server().command("XADD", STREAM, "1-0", "id", "doomed-1", "task", "doomed", "payload", "\"x\"");
		redis.server().command("XADD", STREAM, "2-0", "id", "quick-2", "task", "quick", "payload", "\"x\"");
		redis.server().command("XADD", STREAM, "3-0", "id", "quick-3", "task", "quick", "payload", "\"x\"");
		// A consumer that ran all three, acknowledged the later two and crashed.
		redis.server().command("XREADGROUP", "GROUP", "taskq", "ghost", "COUNT", "10", "STREAMS", STREAM, ">");
		redis.server().command("XACK", STREAM, "taskq", "2-0", "3-0");
		try (ConfigurableApplicationContext producer = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.listener.enabled=false")) {
			QueueStats stats = producer.getBean(QueueStatsReader.class).read("default");
			// The two finished entries are not jobs waiting.
			assertThat(stats.ready()).isEqualTo(1);
			assertThat(stats.inFlight()).isEqualTo(1);
			assertThat(stats.lag()).isZero();
		}
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.visibility-timeout=1s")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> app.getBean(DeadJobs.class).count("default") == 1);
			await().atMost(Duration.ofSeconds(2)).until(() -> "0".equals(redis.server().command("XLEN", STREAM)));
		}
	}

	/** Issue 16, point 14: consumers of crashed instances stayed in the group forever. */
	@Test
	void consumersOfCrashedInstancesLeaveTheGroup() {
		redis.server().command("XGROUP", "CREATE", STREAM, "taskq", "0", "MKSTREAM");
		redis.server().command("XADD", STREAM, "*", "id", "left-1", "task", "quick", "payload", "\"x\"");
		redis.server()
			.command("XREADGROUP", "GROUP", "taskq", "crashed-with-a-job", "COUNT", "10", "STREAMS", STREAM, ">");
		redis.server().command("XGROUP", "CREATECONSUMER", STREAM, "taskq", "crashed-idle");
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), Handlers.class, this.recorder,
				"taskq.visibility-timeout=1s", "taskq.consumer-name=survivor")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs("left-1") == 1);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !redis.server().command("XINFO", "CONSUMERS", STREAM, "taskq").contains("crashed"));
			assertThat(redis.server().command("XINFO", "CONSUMERS", STREAM, "taskq")).contains("survivor");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		@TaskHandler("quick")
		void quick(String payload, JobContext context) {
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler(task = "doomed", maxRetries = "0")
		void doomed(String payload) {
			throw new IllegalStateException("always fails");
		}

	}

}
