package io.taskq.integration;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.CancelResult;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobAlreadyEnqueuedException;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.client.Uniqueness;
import io.taskq.support.redis.QueueKeys;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Issue 5, point 2: a second enqueue with a held uniqueness key returns the first job's
 * id and adds nothing; the lock goes when the job starts or ends (as configured), dies or
 * is cancelled, and it always expires.
 */
class UniqueJobsIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	static volatile CountDownLatch release = new CountDownLatch(0);

	static final Set<String> started = ConcurrentHashMap.newKeySet();

	private final JobRecorder recorder = new JobRecorder();

	private final TaskqAppRunner apps = new TaskqAppRunner(redis, Handlers.class, this.recorder);

	@BeforeEach
	void reset() {
		release = new CountDownLatch(0);
		started.clear();
	}

	@Test
	void secondEnqueueWhileQueuedReturnsTheFirstJobAndRunsOnce() {
		try (ConfigurableApplicationContext producer = this.apps.start("taskq.listener.enabled=false")) {
			JobClient jobs = producer.getBean(JobClient.class);
			JobRequest request = JobRequest.of("record", "invoice-1").withUniqueness(Uniqueness.byKey("invoice-1"));
			JobId first = jobs.submit(request);
			JobId second = jobs.submit(request);
			assertThat(second).isEqualTo(first);
			assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("1");
			try (ConfigurableApplicationContext worker = this.apps.start()) {
				await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(first.value()) == 1);
				// Finished: the key is free again.
				await().atMost(Duration.ofSeconds(5))
					.until(() -> "0"
						.equals(redis.server().command("EXISTS", "taskq:{default}:unique:record:invoice-1")));
				JobId third = jobs.submit(request);
				assertThat(third).isNotEqualTo(first);
				await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(third.value()) == 1);
			}
		}
	}

	@Test
	void payloadDerivedKeysTellPayloadsApart() {
		try (ConfigurableApplicationContext producer = this.apps.start("taskq.listener.enabled=false")) {
			JobClient jobs = producer.getBean(JobClient.class);
			JobId a = jobs.submit(JobRequest.of("record", "a").withUniqueness(Uniqueness.byPayload()));
			JobId again = jobs.submit(JobRequest.of("record", "a").withUniqueness(Uniqueness.byPayload()));
			JobId b = jobs.submit(JobRequest.of("record", "b").withUniqueness(Uniqueness.byPayload()));
			JobId otherTask = jobs.submit(JobRequest.of("hold", "a").withUniqueness(Uniqueness.byPayload()));
			assertThat(again).isEqualTo(a);
			assertThat(b).isNotEqualTo(a);
			assertThat(otherTask).isNotEqualTo(a);
			assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("3");
		}
	}

	@Test
	void concurrentEnqueuesOfOneKeyAddOneJob() throws Exception {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobClient jobs = app.getBean(JobClient.class);
			release = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(8);
			try {
				List<Future<JobId>> ids = pool.invokeAll(java.util.Collections.nCopies(64,
						() -> jobs.submit(JobRequest.of("hold", "same").withUniqueness(Uniqueness.byKey("k")))));
				Set<JobId> distinct = ConcurrentHashMap.newKeySet();
				for (Future<JobId> id : ids) {
					distinct.add(id.get());
				}
				assertThat(distinct).hasSize(1);
				release.countDown();
				JobId only = distinct.iterator().next();
				await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(only.value()) == 1);
				Thread.sleep(300);
				assertThat(this.recorder.totalRuns()).isEqualTo(1);
			}
			finally {
				pool.shutdownNow();
			}
		}
	}

	@Test
	void lockHeldWhileRunningUnlessReleasedOnStart() {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobClient jobs = app.getBean(JobClient.class);
			release = new CountDownLatch(1);
			JobId untilFinished = jobs.submit(JobRequest.of("hold", "f").withUniqueness(Uniqueness.byKey("f")));
			JobId untilStarted = jobs
				.submit(JobRequest.of("hold", "s").withUniqueness(Uniqueness.byKey("s").untilStarted()));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> started.containsAll(Set.of(untilFinished.value(), untilStarted.value())));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> "0".equals(redis.server().command("EXISTS", "taskq:{default}:unique:hold:s")));
			assertThat(jobs.submit(JobRequest.of("hold", "f").withUniqueness(Uniqueness.byKey("f"))))
				.isEqualTo(untilFinished);
			JobId next = jobs.submit(JobRequest.of("hold", "s").withUniqueness(Uniqueness.byKey("s").untilStarted()));
			assertThat(next).isNotEqualTo(untilStarted);
			release.countDown();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(next.value()) == 1);
			assertThat(this.recorder.runs(untilFinished.value())).isEqualTo(1);
			assertThat(this.recorder.totalRuns()).isEqualTo(3);
		}
	}

	@Test
	void deadOrCancelledJobReleasesItsLock() {
		try (ConfigurableApplicationContext app = this.apps.start("taskq.retry.max-retries=0")) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId doomed = jobs.submit(JobRequest.of("broken", "x").withUniqueness(Uniqueness.byKey("b")));
			await().atMost(Duration.ofSeconds(5)).until(() -> app.getBean(DeadJobs.class).count("default") == 1);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> "0".equals(redis.server().command("EXISTS", "taskq:{default}:unique:broken:b")));
			assertThat(jobs.submit(JobRequest.of("broken", "x").withUniqueness(Uniqueness.byKey("b"))))
				.isNotEqualTo(doomed);
			JobId scheduled = jobs.submit(JobRequest.of("record", "x")
				.withDelay(Duration.ofMinutes(5))
				.withUniqueness(Uniqueness.byKey("c")));
			assertThat(jobs.cancel("default", scheduled)).isEqualTo(CancelResult.CANCELLED);
			assertThat(redis.server().command("EXISTS", "taskq:{default}:unique:record:c")).isEqualTo("0");
		}
	}

	@Test
	void lockExpiresAfterItsTimeoutPastTheDueTime() {
		try (ConfigurableApplicationContext producer = this.apps.start("taskq.listener.enabled=false")) {
			JobClient jobs = producer.getBean(JobClient.class);
			jobs.submit(JobRequest.of("record", "x")
				.withDelay(Duration.ofSeconds(60))
				.withUniqueness(Uniqueness.byKey("t").lockFor(Duration.ofSeconds(30))));
			long ttl = Long.parseLong(redis.server().command("PTTL", "taskq:{default}:unique:record:t"));
			assertThat(ttl).isBetween(Duration.ofSeconds(85).toMillis(), Duration.ofSeconds(90).toMillis());
			jobs.submit(JobRequest.of("record", "y").withUniqueness(Uniqueness.byKey("u")));
			long defaultTtl = Long.parseLong(redis.server().command("PTTL", "taskq:{default}:unique:record:u"));
			assertThat(defaultTtl).isBetween(Duration.ofHours(23).toMillis(), Duration.ofDays(1).toMillis());
		}
	}

	/**
	 * Issue 16, point 4: an explicit id holds an id record while its job waits or runs,
	 * and for ten minutes after it ended (succeeded, died or was cancelled), so a retry
	 * after an enqueue of unknown outcome never runs the job twice.
	 */
	@Test
	void explicitIdIsRefusedWhileItsJobWaitsAndForAWhileAfterItEnded() {
		try (ConfigurableApplicationContext app = this.apps.start("taskq.retry.max-retries=0")) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId id = JobId.of("report-7");
			jobs.submit(JobRequest.of("record", "x").withJobId(id));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(id.value()) == 1);
			await().atMost(Duration.ofSeconds(5)).until(() -> idRecordTtl("report-7") <= keptAfterEnd());
			assertThatExceptionOfType(JobAlreadyEnqueuedException.class)
				.isThrownBy(() -> jobs.submit(JobRequest.of("record", "x").withJobId(id)))
				.withMessageContaining("ended less than 10 minutes ago");
			JobId broken = JobId.of("broken-7");
			jobs.submit(JobRequest.of("broken", "x").withJobId(broken));
			await().atMost(Duration.ofSeconds(5)).until(() -> app.getBean(DeadJobs.class).count("default") == 1);
			await().atMost(Duration.ofSeconds(5)).until(() -> idRecordTtl("broken-7") <= keptAfterEnd());
			JobId later = JobId.of("later-7");
			jobs.submit(JobRequest.of("record", "x").withDelay(Duration.ofMinutes(5)).withJobId(later));
			assertThat(idRecordTtl("later-7")).isGreaterThan(Duration.ofHours(23).toMillis());
			assertThatExceptionOfType(JobAlreadyEnqueuedException.class)
				.isThrownBy(() -> jobs.submit(JobRequest.of("record", "x").withJobId(later)));
			assertThat(jobs.cancel("default", later)).isEqualTo(CancelResult.CANCELLED);
			assertThat(idRecordTtl("later-7")).isPositive().isLessThanOrEqualTo(keptAfterEnd());
			// Once the record is gone, the id is free again.
			redis.server().command("DEL", "taskq:{default}:id:report-7");
			jobs.submit(JobRequest.of("record", "x").withJobId(id));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(id.value()) == 2);
		}
	}

	private static long idRecordTtl(String id) {
		return Long.parseLong(redis.server().command("PTTL", "taskq:{default}:id:" + id));
	}

	private static long keptAfterEnd() {
		return QueueKeys.ID_KEPT_AFTER_END.toMillis();
	}

	@Configuration(proxyBeanMethods = false)
	@Import(RecordHandler.class)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		@TaskHandler("hold")
		void hold(String payload, JobContext context) throws InterruptedException {
			started.add(context.jobId().value());
			release.await(10, TimeUnit.SECONDS);
			this.recorder.record(context.jobId().value());
		}

		@TaskHandler("broken")
		void broken(String payload) {
			throw new IllegalStateException("always broken");
		}

	}

}
