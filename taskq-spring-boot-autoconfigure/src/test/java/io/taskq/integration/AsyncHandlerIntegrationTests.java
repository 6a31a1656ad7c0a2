package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Handlers returning a {@link CompletionStage}: the job runs until the stage completes,
 * holding its slot but not a worker thread; failures, timeouts, cancellation and shutdown
 * treat the stage as they treat a blocking handler.
 */
class AsyncHandlerIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	/** The stage each run of a "held" job returned, by job id, in start order. */
	static final Map<String, CompletableFuture<Void>> held = new ConcurrentHashMap<>();

	static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	static final Map<String, Boolean> interrupted = new ConcurrentHashMap<>();

	/** The threads that invoked "held" handlers. */
	static final List<Thread> invokingThreads = new CopyOnWriteArrayList<>();

	private final JobRecorder recorder = new JobRecorder();

	private final TaskqAppRunner apps = new TaskqAppRunner(redis, Handlers.class, this.recorder)
		.withProperties("taskq.retry.delay=100ms", "taskq.retry.jitter=0ms", "taskq.retry.max-retries=1");

	@BeforeEach
	void reset() {
		held.clear();
		attempts.clear();
		interrupted.clear();
		invokingThreads.clear();
	}

	@Test
	void jobFinishesWhenItsStageCompletesAndKeepsTheStagesValue() throws Exception {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId id = jobs.enqueue("async.echo", "hello");
			JobStatus finished = jobs.whenFinished("default", id).get(10, TimeUnit.SECONDS);
			assertThat(finished.state()).isEqualTo(JobState.SUCCEEDED);
			assertThat(jobs.result("default", id, String.class)).contains("echo:hello");
			assertThat(this.recorder.runs(id.value())).isEqualTo(1);
			assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
		}
	}

	@Test
	void pendingStagesHoldTheirSlotsButNoThread() {
		try (ConfigurableApplicationContext app = this.apps.start("taskq.concurrency=2")) {
			JobClient jobs = app.getBean(JobClient.class);
			List<JobId> ids = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				ids.add(jobs.enqueue("async.held", i));
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == 2);
			// Invoked on the fetcher thread, which went on fetching: the slots, not a
			// thread per job, bound the queue to two jobs at once.
			assertThat(invokingThreads).extracting(Thread::getName).allMatch((name) -> name.endsWith("-fetch"));
			sleep(300);
			assertThat(held).hasSize(2);
			finishAsTheyStart(5);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> "0".equals(redis.server().command("XLEN", "taskq:{default}:stream")));
			assertThat(held).hasSize(5);
			ids.forEach((id) -> assertThat(this.recorder.runs(id.value())).isEqualTo(1));
			assertThat(this.recorder.maxRunning()).isLessThanOrEqualTo(2);
		}
	}

	@Test
	void stageCompletingExceptionallyIsRetried() {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobId id = app.getBean(JobClient.class).enqueue("async.flaky", "x");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.runs(id.value()) == 1);
			assertThat(attempts.get(id.value())).hasValue(2);
			assertThat(app.getBean(DeadJobs.class).count("default")).isZero();
		}
	}

	@Test
	void stageNeverCompletingTimesOutIsCancelledAndDeadLettered() {
		try (ConfigurableApplicationContext app = this.apps.start("taskq.concurrency=1")) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId stuck = jobs.enqueue("async.never", "x");
			JobId next = jobs.enqueue("record", "after");
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 1);
			DeadJob job = dead.list("default", 0, 1).get(0);
			assertThat(job.id()).isEqualTo(stuck);
			assertThat(job.reason()).contains("timed out after 300 ms");
			assertThat(attempts.get(stuck.value())).hasValue(2);
			assertThat(held.get(stuck.value() + "#2")).isCancelled();
			// The one slot came back each time, so the next job ran.
			await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(next.value()) == 1);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> "0".equals(redis.server().command("XLEN", "taskq:{default}:stream")));
		}
	}

	@Test
	void cancellingARunningJobCancelsItsStage() throws Exception {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId id = jobs.submit(JobRequest.of("async.held", 1).withTracking());
			await().atMost(Duration.ofSeconds(5)).until(() -> held.containsKey(id.value()));
			assertThat(jobs.cancel("default", id)).isEqualTo(CancelResult.REQUESTED);
			JobStatus finished = jobs.whenFinished("default", id).get(10, TimeUnit.SECONDS);
			assertThat(finished.state()).isEqualTo(JobState.CANCELLED);
			assertThat(held.get(id.value())).isCancelled();
			assertThat(this.recorder.runs(id.value())).isZero();
			assertThat(app.getBean(DeadJobs.class).count("default")).isZero();
			assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
		}
	}

	@Test
	void handlerReturningNoStageFails() {
		try (ConfigurableApplicationContext app = this.apps.start("taskq.retry.max-retries=0")) {
			JobId id = app.getBean(JobClient.class).enqueue("async.null", "x");
			DeadJobs dead = app.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.count("default") == 1);
			DeadJob job = dead.list("default", 0, 1).get(0);
			assertThat(job.id()).isEqualTo(id);
			assertThat(job.reason()).contains("returned null instead of a CompletionStage");
		}
	}

	@Test
	void shutdownWaitsForPendingStagesAndAcknowledgesThem() {
		JobId id;
		ConfigurableApplicationContext app = this.apps.start();
		try {
			id = app.getBean(JobClient.class).enqueue("async.held", 1);
			await().atMost(Duration.ofSeconds(5)).until(() -> held.containsKey(id.value()));
			CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS).execute(() -> finish(id.value()));
		}
		finally {
			app.close();
		}
		assertThat(this.recorder.runs(id.value())).isEqualTo(1);
		assertThat(redis.server().command("XPENDING", "taskq:{default}:stream", "taskq")).startsWith("0");
		assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
	}

	@Test
	void stageStillPendingAfterTheShutdownTimeoutStaysPendingForAReclaim() {
		JobId id;
		ConfigurableApplicationContext app = this.apps.start("taskq.shutdown-timeout=300ms");
		try {
			id = app.getBean(JobClient.class).enqueue("async.held", 1);
			await().atMost(Duration.ofSeconds(5)).until(() -> held.containsKey(id.value()));
		}
		finally {
			app.close();
		}
		// Given up on: its stage is cancelled, its entry left pending for a reclaim.
		assertThat(held.get(id.value())).isCancelled();
		assertThat(this.recorder.runs(id.value())).isZero();
		assertThat(redis.server().command("XPENDING", "taskq:{default}:stream", "taskq")).startsWith("1");
		try (ConfigurableApplicationContext next = this.apps.start("taskq.visibility-timeout=1s")) {
			await().atMost(Duration.ofSeconds(20)).until(() -> held.containsKey(id.value() + "#2"));
			finish(id.value() + "#2");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(id.value()) == 1);
		}
	}

	@Test
	void jobWithAConcurrencyKeyStartsOnAWorkerThreadAndKeepsItsLimit() {
		try (ConfigurableApplicationContext app = this.apps.start("taskq.concurrency=4")) {
			JobClient jobs = app.getBean(JobClient.class);
			List<JobId> ids = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				ids.add(jobs.enqueue("async.limited", i));
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == 1);
			sleep(500);
			assertThat(held).hasSize(1);
			finishAsTheyStart(3);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> ids.stream().allMatch((id) -> this.recorder.runs(id.value()) == 1));
			assertThat(this.recorder.maxRunning()).isEqualTo(1);
			assertThat(invokingThreads).extracting(Thread::getName).noneMatch((name) -> name.endsWith("-fetch"));
		}
	}

	@Test
	void stoppingDoesNotInterruptAHandlerTheFetcherIsInvoking() {
		JobId id;
		ConfigurableApplicationContext app = this.apps.start();
		try {
			id = app.getBean(JobClient.class).enqueue("async.slow-start", 400);
			await().atMost(Duration.ofSeconds(5)).until(() -> attempts.containsKey(id.value()));
		}
		finally {
			app.close();
		}
		assertThat(interrupted).doesNotContainKey(id.value());
		assertThat(this.recorder.runs(id.value())).isEqualTo(1);
		assertThat(attempts.get(id.value())).hasValue(1);
		assertThat(redis.server().command("XPENDING", "taskq:{default}:stream", "taskq")).startsWith("0");
		assertThat(redis.server().command("XLEN", "taskq:{default}:stream")).isEqualTo("0");
	}

	@Test
	void stageThatIsNotACompletableFutureIsFollowed() throws Exception {
		try (ConfigurableApplicationContext app = this.apps.start()) {
			JobClient jobs = app.getBean(JobClient.class);
			JobId done = jobs.enqueue("async.minimal", 1);
			await().atMost(Duration.ofSeconds(5)).until(() -> held.containsKey(done.value()));
			finish(done.value());
			await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.runs(done.value()) == 1);
			JobId cancelled = jobs.submit(JobRequest.of("async.minimal", 2).withTracking());
			await().atMost(Duration.ofSeconds(5)).until(() -> held.containsKey(cancelled.value()));
			assertThat(jobs.cancel("default", cancelled)).isEqualTo(CancelResult.REQUESTED);
			JobStatus finished = jobs.whenFinished("default", cancelled).get(10, TimeUnit.SECONDS);
			assertThat(finished.state()).isEqualTo(JobState.CANCELLED);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> "0".equals(redis.server().command("XLEN", "taskq:{default}:stream")));
		}
	}

	/** Finishes the held stages as their jobs start, until {@code count} have. */
	private void finishAsTheyStart(int count) {
		for (int started = 1; started <= count; started++) {
			int expected = started;
			await().atMost(Duration.ofSeconds(10)).until(() -> held.size() >= expected);
			held.keySet().forEach(this::finish);
		}
	}

	/** Completes a held stage, recording the run first, as a handler's work would. */
	private void finish(String key) {
		CompletableFuture<Void> stage = held.get(key);
		if (!stage.isDone()) {
			this.recorder.finished(key.replaceFirst("#\\d+$", ""));
			stage.complete(null);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import(RecordHandler.class)
	static class Handlers {

		@Autowired
		JobRecorder recorder;

		@TaskHandler("async.echo")
		CompletionStage<String> echo(String text, JobContext context) {
			return CompletableFuture.supplyAsync(() -> {
				this.recorder.record(context.jobId().value());
				return "echo:" + text;
			}, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
		}

		/**
		 * Returns a stage the test completes (see {@link #finish}); a retry's stage is
		 * held under the job id and its attempt.
		 */
		@TaskHandler("async.held")
		CompletableFuture<Void> held(Integer ignored, JobContext context) {
			this.recorder.started();
			invokingThreads.add(Thread.currentThread());
			CompletableFuture<Void> stage = new CompletableFuture<>();
			String key = (context.attempt() == 1) ? context.jobId().value()
					: context.jobId().value() + "#" + context.attempt();
			held.put(key, stage);
			return stage;
		}

		@TaskHandler(value = "async.limited", concurrencyLimit = "1")
		CompletableFuture<Void> limited(Integer ignored, JobContext context) {
			return held(ignored, context);
		}

		/**
		 * Blocks its caller for the payload's millis before returning: bad, but it
		 * happens.
		 */
		@TaskHandler("async.slow-start")
		CompletionStage<Void> slowStart(Integer millis, JobContext context) {
			attempts.computeIfAbsent(context.jobId().value(), (id) -> new AtomicInteger()).incrementAndGet();
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				interrupted.put(context.jobId().value(), true);
				return CompletableFuture.failedFuture(ex);
			}
			this.recorder.record(context.jobId().value());
			return CompletableFuture.completedFuture(null);
		}

		/**
		 * Returns a stage that is not a CompletableFuture, over one the test completes.
		 */
		@TaskHandler("async.minimal")
		CompletionStage<Void> minimal(Integer ignored, JobContext context) {
			return held(ignored, context).minimalCompletionStage();
		}

		@TaskHandler("async.flaky")
		CompletionStage<Void> flaky(String ignored, JobContext context) {
			int attempt = attempts.computeIfAbsent(context.jobId().value(), (id) -> new AtomicInteger())
				.incrementAndGet();
			if (attempt == 1) {
				return CompletableFuture.failedFuture(new IllegalStateException("first attempt fails"));
			}
			return CompletableFuture.runAsync(() -> this.recorder.record(context.jobId().value()));
		}

		@TaskHandler(value = "async.never", timeout = "300ms")
		CompletionStage<Void> never(String ignored, JobContext context) {
			int attempt = attempts.computeIfAbsent(context.jobId().value(), (id) -> new AtomicInteger())
				.incrementAndGet();
			CompletableFuture<Void> stage = new CompletableFuture<>();
			held.put((attempt == 1) ? context.jobId().value() : context.jobId().value() + "#" + attempt, stage);
			return stage;
		}

		@TaskHandler("async.null")
		CompletionStage<Void> returnsNull(String ignored) {
			return null;
		}

	}

}
