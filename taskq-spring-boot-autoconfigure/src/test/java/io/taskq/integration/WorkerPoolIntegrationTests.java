package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.client.QueueControl;
import io.taskq.listener.ListenerContainerRegistry;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 5.7: a worker pool serves several queues with shared slots, by strict priority or
 * by weight, so a flood in one queue cannot starve another; every job still runs exactly
 * once, also when a pool's worker is killed.
 */
class WorkerPoolIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final StartLog starts = new StartLog();

	private final TaskqAppRunner apps = new TaskqAppRunner(redis, Handlers.class, this.starts);

	@Test
	void urgentJobsOvertakeAFloodOfBulkJobsUnderStrictPriority() {
		try (ConfigurableApplicationContext app = this.apps.start("taskq.pools.main.queues=urgent,bulk",
				"taskq.pools.main.concurrency=2")) {
			JobClient jobs = app.getBean(JobClient.class);
			List<JobId> bulk = jobs.enqueueAll(requests("bulk.work", 400, 5));
			await().atMost(Duration.ofSeconds(30)).until(() -> this.starts.count("bulk") >= 50);
			int before = this.starts.size();
			List<JobId> urgent = jobs.enqueueAll(requests("urgent.work", 20, 5));
			await().atMost(Duration.ofSeconds(30)).until(() -> this.starts.count("urgent") == 20);
			List<String> log = this.starts.snapshot();
			int lastUrgent = log.lastIndexOf("urgent");
			// Only jobs read before the urgent ones arrived may start in between: at most
			// one read's worth per slot.
			long bulkOvertaking = log.subList(before, lastUrgent).stream().filter("bulk"::equals).count();
			assertThat(bulkOvertaking).isLessThanOrEqualTo(4);
			// The flood was far from drained when the last urgent job started.
			assertThat(log.subList(0, lastUrgent).stream().filter("bulk"::equals).count()).isLessThan(300);
			await().atMost(Duration.ofSeconds(60)).until(() -> this.starts.recorder().distinctJobs() == 420);
			assertThat(this.starts.recorder().duplicates()).isEmpty();
			assertThat(this.starts.recorder().jobIds()).containsAll(ids(bulk)).containsAll(ids(urgent));
		}
	}

	@Test
	void weightedPoolSharesItsSlotsByWeightAndStarvesNoQueue() {
		try (ConfigurableApplicationContext producer = this.apps.start("taskq.listener.enabled=false")) {
			JobClient jobs = producer.getBean(JobClient.class);
			jobs.enqueueAll(requests("urgent.work", 600, 2));
			jobs.enqueueAll(requests("bulk.work", 600, 2));
			try (ConfigurableApplicationContext worker = this.apps.start("taskq.pools.mixed.queues=urgent,bulk",
					"taskq.pools.mixed.weights=3,1", "taskq.pools.mixed.concurrency=2")) {
				await().atMost(Duration.ofSeconds(60)).until(() -> this.starts.size() >= 400);
				List<String> first = this.starts.snapshot().subList(0, 400);
				long bulk = first.stream().filter("bulk"::equals).count();
				// 3 to 1 gives 100 of 400; strict priority would give none.
				assertThat(bulk).isBetween(50L, 150L);
				await().atMost(Duration.ofSeconds(60)).until(() -> this.starts.recorder().distinctJobs() == 1200);
				assertThat(this.starts.recorder().duplicates()).isEmpty();
			}
		}
	}

	@Test
	void idlePoolWakesAtOnceForAJobInAnyOfItsQueues() throws Exception {
		// One blocking read waits up to 10 s: only a read over all queues picks up a job
		// of a lower queue within the 2 s allowed.
		try (ConfigurableApplicationContext app = this.apps.start("taskq.pools.main.queues=urgent,normal,bulk",
				"taskq.poll-timeout=10s")) {
			JobClient jobs = app.getBean(JobClient.class);
			for (String task : List.of("bulk.work", "normal.work", "urgent.work", "bulk.work")) {
				// Time for the fetcher to settle into its blocking read.
				Thread.sleep(300);
				JobId id = jobs.enqueue(task, 0);
				await().atMost(Duration.ofSeconds(2)).until(() -> this.starts.recorder().runs(id.value()) == 1);
			}
		}
	}

	@Test
	void pausedQueueOfAPoolWaitsWhileTheOthersRun() throws Exception {
		try (ConfigurableApplicationContext app = this.apps.start("taskq.pools.main.queues=urgent,bulk",
				"taskq.poll-timeout=10s")) {
			JobClient jobs = app.getBean(JobClient.class);
			QueueControl control = app.getBean(QueueControl.class);
			control.pause("urgent");
			// The pause reaches the fetcher through a channel; a job enqueued before it
			// arrives may start (QueuePauseIntegrationTests waits the same way).
			await().atMost(Duration.ofSeconds(5))
				.until(() -> app.getBean(ListenerContainerRegistry.class).isPaused("urgent"));
			List<JobId> urgent = jobs.enqueueAll(requests("urgent.work", 5, 0));
			List<JobId> bulk = jobs.enqueueAll(requests("bulk.work", 5, 0));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.starts.count("bulk") == 5);
			// Absence can only be shown by waiting: half a second is many fetch turns.
			Thread.sleep(500);
			assertThat(this.starts.count("urgent")).isZero();
			control.resume("urgent");
			// While a queue of the pool is paused, a blocking read waits at most 1 s.
			await().atMost(Duration.ofSeconds(3)).until(() -> this.starts.count("urgent") == 5);
			assertThat(this.starts.recorder().jobIds()).containsExactlyInAnyOrderElementsOf(
					ids(List.of(urgent, bulk).stream().flatMap(List::stream).toList()));
			assertThat(this.starts.recorder().duplicates()).isEmpty();
		}
	}

	@Test
	void queueThatCannotBeReadDoesNotHoldUpTheOthersOfItsPool() {
		// Not a stream: every read of the queue fails with WRONGTYPE.
		redis.server().command("SET", "taskq:{normal}:stream", "not a stream");
		try (ConfigurableApplicationContext app = this.apps.start("taskq.pools.main.queues=normal,bulk",
				"taskq.pools.main.concurrency=2")) {
			List<JobId> bulk = app.getBean(JobClient.class).enqueueAll(requests("bulk.work", 200, 2));
			// At 2 ms a job on 2 slots, well under a second; a pool that backed off as a
			// whole (up to 5 s a turn) would take minutes.
			await().atMost(Duration.ofSeconds(20)).until(() -> this.starts.recorder().distinctJobs() == 200);
			assertThat(this.starts.recorder().jobIds()).containsExactlyInAnyOrderElementsOf(ids(bulk));
			assertThat(this.starts.recorder().duplicates()).isEmpty();
			assertThat(this.starts.recorder().maxRunning()).isLessThanOrEqualTo(2);
		}
	}

	@Test
	void jobsOfEveryQueueOfAKilledPoolWorkerAreReclaimedAndRunOnce() {
		try (ConfigurableApplicationContext producer = this.apps.start("taskq.listener.enabled=false")) {
			JobClient jobs = producer.getBean(JobClient.class);
			List<JobId> ids = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				ids.add(jobs.enqueue("work", 20));
				ids.add(jobs.submit(JobRequest.of("work.low", 20).withQueue("low")));
			}
			String[] pool = { "taskq.pools.main.queues=default,low", "taskq.pools.main.concurrency=8",
					"taskq.visibility-timeout=2s" };
			try (WorkerProcess doomed = WorkerProcess.start(redis.server(), pool)) {
				await().atMost(Duration.ofSeconds(60)).until(() -> done() >= 100);
				doomed.kill();
			}
			assertThat(done()).isLessThan(ids.size());
			try (WorkerProcess survivor = WorkerProcess.start(redis.server(), pool)) {
				await().atMost(Duration.ofSeconds(90)).until(() -> done() == ids.size());
				assertThat(survivor.log()).contains("Reclaimed job");
				// The last runs' acknowledgements follow their handlers: wait for them
				// before the survivor is killed too.
				await().atMost(Duration.ofSeconds(10))
					.until(() -> "0".equals(redis.server().command("XLEN", "taskq:{default}:stream"))
							&& "0".equals(redis.server().command("XLEN", "taskq:{low}:stream")));
			}
			Set<String> finished = new HashSet<>(List.of(redis.server().command("SMEMBERS", "test:done").split("\n")));
			assertThat(finished).containsExactlyInAnyOrderElementsOf(ids(ids));
			// Only jobs that were running on the killed worker may have run twice.
			long runs = Long.parseLong(redis.server().command("LLEN", "test:runs"));
			assertThat(runs - ids.size()).isBetween(0L, 8L);
		}
	}

	private long done() {
		return Long.parseLong(redis.server().command("SCARD", "test:done"));
	}

	private static List<JobRequest> requests(String task, int count, int millis) {
		return IntStream.range(0, count).mapToObj((i) -> JobRequest.of(task, millis)).toList();
	}

	private static List<String> ids(List<JobId> ids) {
		return ids.stream().map(JobId::value).toList();
	}

	/** The queue of every job start, in order, and every run by job id. */
	static final class StartLog {

		private final List<String> queues = Collections.synchronizedList(new ArrayList<>());

		private final JobRecorder recorder = new JobRecorder();

		void started(JobContext context) {
			this.queues.add(context.queue());
			this.recorder.started();
		}

		void finished(JobContext context) {
			this.recorder.finished(context.jobId().value());
		}

		int size() {
			return this.queues.size();
		}

		long count(String queue) {
			return snapshot().stream().filter(queue::equals).count();
		}

		List<String> snapshot() {
			synchronized (this.queues) {
				return new ArrayList<>(this.queues);
			}
		}

		JobRecorder recorder() {
			return this.recorder;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Autowired
		StartLog starts;

		@TaskHandler(task = "urgent.work", queue = "urgent")
		void urgent(Integer millis, JobContext context) throws InterruptedException {
			work(millis, context);
		}

		@TaskHandler(task = "normal.work", queue = "normal")
		void normal(Integer millis, JobContext context) throws InterruptedException {
			work(millis, context);
		}

		@TaskHandler(task = "bulk.work", queue = "bulk")
		void bulk(Integer millis, JobContext context) throws InterruptedException {
			work(millis, context);
		}

		private void work(Integer millis, JobContext context) throws InterruptedException {
			this.starts.started(context);
			try {
				Thread.sleep(millis);
			}
			finally {
				this.starts.finished(context);
			}
		}

	}

}
