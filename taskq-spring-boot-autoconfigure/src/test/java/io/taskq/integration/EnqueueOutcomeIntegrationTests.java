package io.taskq.integration;

import java.time.Duration;

import io.taskq.JobId;
import io.taskq.client.JobAlreadyEnqueuedException;
import io.taskq.client.JobClient;
import io.taskq.client.JobEnqueueException;
import io.taskq.client.JobEnqueueException.Outcome;
import io.taskq.client.JobRequest;
import io.taskq.client.RedisCapacityException;
import io.taskq.testing.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16, point 5: a failed enqueue tells a job Redis refused (not stored) from one
 * whose outcome is unknown (a timeout: it may be stored and run), and names the job ids.
 * Enqueues with a timeout against a frozen Redis were reported as not enqueued, yet the
 * jobs were stored and ran.
 */
class EnqueueOutcomeIntegrationTests {

	private static final String STREAM = "taskq:{default}:stream";

	private final JobRecorder recorder = new JobRecorder();

	@Test
	void timeoutAgainstFrozenRedisReportsOutcomeUnknownAndTheJobId() {
		try (RedisServer redis = RedisServer.start();
				ConfigurableApplicationContext producer = TaskqApp.start(redis, RecordHandler.class, this.recorder,
						"taskq.listener.enabled=false", "spring.data.redis.timeout=500ms")) {
			JobClient jobs = producer.getBean(JobClient.class);
			// Redis knows the script before it freezes: a command that timed out is not
			// sent again as EVAL after a NOSCRIPT reply.
			jobs.submit(JobRequest.of("record", "warm-up").withJobId(JobId.generate()));
			JobId id = JobId.generate();
			JobEnqueueException failure;
			redis.freeze();
			try {
				failure = catchThrowableOfType(JobEnqueueException.class,
						() -> jobs.submit(JobRequest.of("record", "frozen").withJobId(id)));
			}
			finally {
				redis.thaw();
			}
			assertThat(failure).isNotNull();
			assertThat(failure.getOutcome()).isEqualTo(Outcome.UNKNOWN);
			assertThat(failure.getJobIds()).containsExactly(id);
			assertThat(failure.getMessage()).contains(id.value())
				.contains("outcome unknown")
				.contains("may have been stored")
				.contains("same job id");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(redis.command("XRANGE", STREAM, "-", "+")).contains(id.value()));
			// The retry the message advises: the id is known, nothing is added twice.
			assertThatExceptionOfType(JobAlreadyEnqueuedException.class)
				.isThrownBy(() -> jobs.submit(JobRequest.of("record", "frozen").withJobId(id)));
			assertThat(redis.command("XLEN", STREAM)).isEqualTo("2");
		}
	}

	@Test
	void errorReplyFromRedisReportsRefusedAndNothingStored() {
		try (RedisServer redis = RedisServer.start();
				ConfigurableApplicationContext producer = TaskqApp.start(redis, RecordHandler.class, this.recorder,
						"taskq.listener.enabled=false")) {
			JobClient jobs = producer.getBean(JobClient.class);
			redis.command("SET", "taskq:{wrong}:stream", "not a stream");
			JobId id = JobId.generate();
			JobEnqueueException failure = catchThrowableOfType(JobEnqueueException.class,
					() -> jobs.submit(JobRequest.of("record", "x").withQueue("wrong").withJobId(id)));
			assertThat(failure).isNotNull();
			assertThat(failure.getOutcome()).isEqualTo(Outcome.REFUSED);
			assertThat(failure.getJobIds()).containsExactly(id);
			assertThat(failure.getMessage()).contains(id.value()).contains("refused").contains("not stored");
			assertThat(redis.command("GET", "taskq:{wrong}:stream")).isEqualTo("not a stream");
		}
	}

	@Test
	void outOfMemoryRefusalReportsRefused() {
		try (RedisServer redis = RedisServer.start("--maxmemory-policy", "noeviction");
				ConfigurableApplicationContext producer = TaskqApp.start(redis, RecordHandler.class, this.recorder,
						"taskq.listener.enabled=false")) {
			JobClient jobs = producer.getBean(JobClient.class);
			jobs.enqueue("record", "warm-up");
			redis.command("CONFIG", "SET", "maxmemory", "1");
			JobId id = JobId.generate();
			JobEnqueueException failure = catchThrowableOfType(JobEnqueueException.class,
					() -> jobs.submit(JobRequest.of("record", "x").withJobId(id)));
			redis.command("CONFIG", "SET", "maxmemory", "0");
			assertThat(failure).isInstanceOf(RedisCapacityException.class);
			assertThat(failure.getOutcome()).isEqualTo(Outcome.REFUSED);
			assertThat(failure.getJobIds()).containsExactly(id);
			assertThat(failure.getMessage()).contains("not stored");
			assertThat(redis.command("XLEN", STREAM)).isEqualTo("1");
		}
	}

}
