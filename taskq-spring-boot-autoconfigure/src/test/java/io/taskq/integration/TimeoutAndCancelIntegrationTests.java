package io.taskq.integration;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.JobState;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.CancelResult;
import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.client.JobStatus;
import io.taskq.client.QueueControl;
import io.taskq.listener.ListenerContainerRegistry;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 5, points 4 and 5: cancelling scheduled, queued and running jobs, and timeouts
 * that interrupt a run, count it as a failure and write its outcome without waiting for a
 * reclaim.
 */
@ExtendWith(OutputCaptureExtension.class)
class TimeoutAndCancelIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	static final Map<String, Boolean> sawCancellation = new ConcurrentHashMap<>();

	static final Map<String, Instant> returnedAt = new ConcurrentHashMap<>();

	private final JobRecorder recorder = new JobRecorder();

	private final TaskqAppRunner apps = new TaskqAppRunner(redis, Handlers.class, this.recorder)
		.withProperties("taskq.retry.delay=100ms", "taskq.retry.jitter=0ms", "taskq.retry.max-retries=1");

	@BeforeEach
	void reset() {
		attempts.clear();
		sawCancellation.clear();
		returnedAt.clear();
	}

	@Test
	void runOverItsTimeoutIsInterruptedRetriedThenDeadLettered() {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobId id = app.getBean(JobClient.class).enqueue("sleepy", 10_000);
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 1);
			assertThat(attempts.get(id.value())).hasValue(2);
			DeadJob job = dead.list("default", 0, 10).get(0);
			assertThat(job.id()).isEqualTo(id);
			assertThat(job.reason()).contains("timed out after 300 ms");
			assertThat(this.recorder.runs(id.value())).isZero();
		}
	}

	@Test
	void perJobTimeoutOverridesTheHandlers() {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId slow = jobs.submit(JobRequest.of("sleepy", 100).withTimeout(Duration.ofSeconds(5)));
			JobId fast = jobs.submit(JobRequest.of("record", "x").withTimeout(Duration.ofMillis(200)));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.recorder.runs(slow.value()) == 1 && this.recorder.runs(fast.value()) == 1);
			assertThat(attempts.get(slow.value())).hasValue(1);
			assertThat(app.getBean(DeadJobs.class).count("default")).isZero();
		}
	}

	@Test
	void handlerIgnoringTheInterruptHasItsFailureWrittenWithoutWaitingForIt(CapturedOutput output) {
		try (ConfigurableApplicationContext app = this.apps.start("taskq.retry.max-retries=0")) {
			Instant enqueued = Instant.now();
			JobId id = app.getBean(JobClient.class).enqueue("stubborn", 4000);
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 1);
			Instant deadAt = Instant.now();
			assertThat(returnedAt).doesNotContainKey(id.value());
			assertThat(Duration.between(enqueued, deadAt)).isLessThan(Duration.ofMillis(3500));
			assertThat(dead.list("default", 0, 1).get(0).reason()).contains("timed out after 200 ms");
			// Nothing left pending for a reclaim to find.
			assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
			await().atMost(Duration.ofSeconds(10)).until(() -> returnedAt.containsKey(id.value()));
			assertThat(dead.count("default")).isEqualTo(1);
			assertThat(attempts.get(id.value())).hasValue(1);
			// Recorded by the watchdog; the handler's late return adds nothing (it logged
			// and counted the failure a second time before).
			assertThat(output)
				.containsOnlyOnce("Job " + id.value() + " (stubborn on queue default) goes to the dead letters");
		}
	}

	@Test
	void cancelledScheduledJobNeverRuns() throws Exception {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId cancelled = jobs
				.submit(JobRequest.of("record", "a").withDelay(Duration.ofMillis(500)).withTracking());
			JobId kept = jobs.enqueueIn("record", "b", Duration.ofMillis(500));
			assertThat(jobs.cancel("default", cancelled)).isEqualTo(CancelResult.CANCELLED);
			assertThat(jobs.status("default", cancelled).state()).isEqualTo(JobState.CANCELLED);
			await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(kept.value()) == 1);
			Thread.sleep(300);
			assertThat(this.recorder.runs(cancelled.value())).isZero();
			assertThat(redis.server().command("ZCARD", "taskq:{default}:delayed")).isEqualTo("0");
			assertThat(redis.server().command("HLEN", "taskq:{default}:delayed:jobs")).isEqualTo("0");
		}
	}

	@Test
	void queuedJobCancelledBeforeAnyWorkerStartedIsSkipped() throws Exception {
		try (ConfigurableApplicationContext producer = this.apps.start("taskq.listener.enabled=false")) {
			JobClient jobs = producer.getBean(JobClient.class);
			JobId cancelled = jobs.submit(JobRequest.of("record", "a").withTracking());
			JobId kept = jobs.enqueue("record", "b");
			assertThat(jobs.cancel("default", cancelled)).isEqualTo(CancelResult.REQUESTED);
			// The worker was not subscribed when the cancellation was announced: it
			// learns it from Redis.
			try (ConfigurableApplicationContext worker = this.apps.start()) {
				await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(kept.value()) == 1);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> jobs.status("default", cancelled).state() == JobState.CANCELLED);
				assertThat(this.recorder.runs(cancelled.value())).isZero();
				assertThat(attempts).doesNotContainKey(cancelled.value());
				assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
			}
		}
	}

	@Test
	void queuedJobCancelledWhilePausedIsSkippedByRunningWorkers() {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobClient jobs = app.getBean(JobClient.class);
			QueueControl control = app.getBean(QueueControl.class);
			control.pause("default");
			// The worker learns of the pause through a channel: a job enqueued before the
			// message arrives could be fetched and run before the cancellation.
			await().atMost(Duration.ofSeconds(5))
				.until(() -> app.getBean(ListenerContainerRegistry.class).isPaused("default"));
			JobId cancelled = jobs.enqueue("record", "a");
			JobId kept = jobs.enqueue("record", "b");
			assertThat(jobs.cancel("default", cancelled)).isEqualTo(CancelResult.REQUESTED);
			control.resume("default");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(kept.value()) == 1);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> "0".equals(redis.server().command("XLEN", "taskq:{default}:stream")));
			assertThat(this.recorder.runs(cancelled.value())).isZero();
		}
	}

	@Test
	void runningJobIsInterruptedSeesTheRequestAndIsNotRetried() throws Exception {
		try (ConfigurableApplicationContext app = this.apps.start("taskq.retry.max-retries=3")) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId id = jobs.submit(JobRequest.of("sleepy", 30_000).withTracking());
			await().atMost(Duration.ofSeconds(5)).until(() -> attempts.containsKey(id.value()));
			assertThat(jobs.cancel("default", id)).isEqualTo(CancelResult.REQUESTED);
			JobStatus finished = jobs.whenFinished("default", id).get(10, java.util.concurrent.TimeUnit.SECONDS);
			assertThat(finished.state()).isEqualTo(JobState.CANCELLED);
			assertThat(sawCancellation).containsEntry(id.value(), true);
			Thread.sleep(500);
			assertThat(attempts.get(id.value())).hasValue(1);
			assertThat(app.getBean(DeadJobs.class).count("default")).isZero();
			assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
			assertThat(redis.server().command("ZCARD", "taskq:{default}:delayed")).isEqualTo("0");
		}
	}

	@Test
	void cancellingAFinishedJobDoesNotStopALaterJobReusingItsId() throws Exception {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId id = JobId.of("report-42");
			jobs.submit(JobRequest.of("record", "a").withJobId(id));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(id.value()) == 1);
			assertThat(jobs.cancel("default", id)).isEqualTo(CancelResult.REQUESTED);
			// A request covers entries added up to 5 s after it (clock skew).
			Thread.sleep(5500);
			// An id stays taken ten minutes after its job ended (issue 16); its record
			// goes
			// here so that only the cancel request's window is tested.
			redis.server().command("DEL", "taskq:{default}:id:report-42");
			jobs.submit(JobRequest.of("record", "b").withJobId(id));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(id.value()) == 2);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import(RecordHandler.class)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		/** Sleeps the payload's millis, interruptibly. */
		@TaskHandler(value = "sleepy", timeout = "300ms")
		void sleepy(Integer millis, JobContext context) throws InterruptedException {
			attempts.computeIfAbsent(context.jobId().value(), (id) -> new AtomicInteger()).incrementAndGet();
			try {
				Thread.sleep(millis);
			}
			finally {
				sawCancellation.put(context.jobId().value(), context.isCancellationRequested());
			}
			this.recorder.record(context.jobId().value());
		}

		/** Busy for the payload's millis, ignoring interrupts. */
		@TaskHandler(value = "stubborn", timeout = "200ms")
		void stubborn(Integer millis, JobContext context) {
			attempts.computeIfAbsent(context.jobId().value(), (id) -> new AtomicInteger()).incrementAndGet();
			long end = System.nanoTime() + millis * 1_000_000L;
			while (System.nanoTime() < end) {
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					// Ignored on purpose.
				}
			}
			returnedAt.put(context.jobId().value(), Instant.now());
		}

	}

}
