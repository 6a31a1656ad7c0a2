package io.taskq.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.taskq.JobId;
import io.taskq.client.DeadJob;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.client.QueueControl;
import io.taskq.test.ReminderApplication.Handlers;
import io.taskq.test.ReminderApplication.Reminder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code @TaskqTest} as a user writes it: one annotation, a real Redis started for the
 * context, and jobs that are not tracked waited for, fast-forwarded, listed and cleared.
 */
@SpringBootTest(classes = ReminderApplication.class)
@TaskqTest
class TaskqTestRedisModeTests {

	@Autowired
	JobClient jobs;

	@Autowired
	TestJobQueues queues;

	@Autowired
	Handlers handlers;

	@Autowired
	QueueControl queueControl;

	@AfterEach
	void clear() {
		this.queues.clear();
		this.handlers.reminded.clear();
	}

	@Test
	void awaitIdleWaitsForJobsThatAreNotTracked() {
		for (int i = 0; i < 20; i++) {
			this.jobs.enqueue("reminder.send", new Reminder("ada", "n" + i));
		}
		this.queues.awaitIdle();
		assertThat(this.handlers.reminded).hasSize(20);
		assertThat(this.queues.queued("default")).isEmpty();
	}

	@Test
	void advanceTimeRunsAReminderDueInThreeDays() {
		JobId id = this.jobs.enqueueIn("reminder.send", new Reminder("ada", "renew"), Duration.ofDays(3));
		this.queues.awaitIdle();
		assertThat(this.handlers.reminded).isEmpty();
		List<QueuedJob> delayed = this.queues.delayed("default");
		assertThat(delayed).extracting(QueuedJob::id).containsExactly(id);
		assertThat(this.queues.payload(delayed.get(0), Reminder.class)).isEqualTo(new Reminder("ada", "renew"));

		this.queues.advanceTime(Duration.ofDays(2));
		this.queues.awaitIdle();
		assertThat(this.handlers.reminded).isEmpty();
		assertThat(this.queues.delayed("default")).hasSize(1);

		this.queues.advanceTime(Duration.ofDays(1));
		this.queues.awaitIdle();
		assertThat(this.handlers.reminded).containsExactly("ada:renew");
		assertThat(this.queues.delayed("default")).isEmpty();
	}

	@Test
	void advanceTimeFiresEveryOccurrenceOfARecurringJobOnce() {
		int before = this.handlers.digests.size();
		this.queues.advanceTime(Duration.ofDays(3));
		this.queues.awaitIdle();
		List<String> fired = this.handlers.digests.subList(before, this.handlers.digests.size());
		assertThat(fired).hasSize(3).allSatisfy((occurrence) -> assertThat(occurrence).endsWith("T06:00:00Z"));
		// Enqueued in order; ten workers may start them in any order.
		List<Instant> days = fired.stream().map(Instant::parse).sorted().toList();
		assertThat(Duration.between(days.get(0), days.get(1))).isEqualTo(Duration.ofDays(1));
		assertThat(Duration.between(days.get(1), days.get(2))).isEqualTo(Duration.ofDays(1));
	}

	@Test
	void drainRunsRetriesUntilAFailingJobIsDead() {
		JobId id = this.jobs.enqueue("import.run", "a.csv");
		this.queues.drain();
		List<DeadJob> dead = this.queues.dead("default");
		assertThat(dead).extracting(DeadJob::id).containsExactly(id);
		assertThat(dead.get(0).attempts()).isEqualTo(3);
		assertThat(dead.get(0).reason()).contains("cannot read a.csv");
	}

	@Test
	void queuedListsJobsNoWorkerTookAndClearRemovesThem() {
		this.jobs.submit(JobRequest.of("report.count", List.of("a", "b")).withQueue("no-workers"));
		List<QueuedJob> queued = this.queues.queued("no-workers");
		assertThat(queued).singleElement().satisfies((job) -> {
			assertThat(job.task()).isEqualTo("report.count");
			assertThat(job.payload()).isEqualTo("[\"a\",\"b\"]");
			assertThat(job.running()).isFalse();
		});
		this.queues.clear("no-workers");
		assertThat(this.queues.queued("no-workers")).isEmpty();
	}

	/**
	 * Pins a bug: clearing deleted a paused queue's flag without telling the instances,
	 * which kept the queue paused until their next re-read (half a visibility timeout).
	 */
	@Test
	void clearResumesAPausedQueueAtOnce() {
		this.queueControl.pause("default");
		this.jobs.enqueue("reminder.send", new Reminder("ada", "while paused"));
		this.queues.clear();
		this.jobs.enqueue("reminder.send", new Reminder("ada", "after clear"));
		this.queues.awaitIdle(Duration.ofSeconds(5));
		// The first job may have run before the instance heard of the pause; the second
		// runs only if it heard of the resume.
		assertThat(this.handlers.reminded).contains("ada:after clear");
	}

	@Test
	void timeOnlyMovesForward() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.queues.advanceTime(Duration.ofSeconds(-1)));
	}

	@Test
	void awaitIdleFailsNamingWhatIsLeft() {
		this.jobs.submit(JobRequest.of("report.count", List.of("a")).withQueue("nobody-reads-this"));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.queues.awaitIdle(Duration.ofMillis(200), "nobody-reads-this"))
			.withMessageContaining("'nobody-reads-this' has 1 ready, 0 running, 0 delayed and due");
	}

}
