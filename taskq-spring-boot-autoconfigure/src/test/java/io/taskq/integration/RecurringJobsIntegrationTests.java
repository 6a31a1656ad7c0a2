package io.taskq.integration;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.taskq.JobContext;
import io.taskq.annotation.TaskHandler;
import io.taskq.recurring.IntervalSchedule;
import io.taskq.recurring.RecurringJob;
import io.taskq.recurring.RecurringJobInfo;
import io.taskq.recurring.RecurringJobs;
import io.taskq.testing.RedisServer;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Recurring jobs on a real Redis: each occurrence enqueued exactly once however many
 * instances fire it, misfire policies after every instance was down, pause and resume
 * across instances, cron instants, and a Redis outage.
 */
@ExtendWith(OutputCaptureExtension.class)
class RecurringJobsIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final Runs runs = new Runs();

	@Test
	void threeInstancesEnqueueEveryOccurrenceOfAOneSecondScheduleExactlyOnceFor30Seconds() {
		List<ConfigurableApplicationContext> apps = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				apps.add(TaskqApp.start(redis.server(), EverySecond.class, this.runs));
			}
			assertThat(Thread.getAllStackTraces().keySet())
				.filteredOn((thread) -> thread.getName().equals("taskq-recurring"))
				.hasSize(3);
			Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
			Instant to = from.plusSeconds(30);
			await().atMost(Duration.ofSeconds(45))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> this.runs.occurrences("tick").stream().anyMatch((occurrence) -> !occurrence.isBefore(to)));
			List<Instant> window = this.runs.occurrences("tick")
				.stream()
				.filter((occurrence) -> !occurrence.isBefore(from) && occurrence.isBefore(to))
				.toList();
			List<Instant> expected = new ArrayList<>();
			for (int second = 0; second < 30; second++) {
				expected.add(from.plusSeconds(second));
			}
			assertThat(window).hasSize(30).containsExactlyInAnyOrderElementsOf(expected);
			assertThat(this.runs.occurrences("tick")).doesNotHaveDuplicates();
			assertThat(this.runs.jobIds()).doesNotHaveDuplicates();
			assertThat(redis.server().command("EXISTS", "taskq:{default}:recurring:tick")).isEqualTo("1");
		}
		finally {
			apps.forEach(ConfigurableApplicationContext::close);
		}
		assertThat(this.runs.occurrences("tick")).doesNotHaveDuplicates();
	}

	@Test
	void runOnceMisfireRunsOneJobForOccurrencesMissedWhileEveryInstanceWasDown() {
		Instant longAgo = Instant.now().minus(Duration.ofHours(30));
		redis.server()
			.command("HSET", "taskq:{default}:recurring:daily.catchup", "last", Long.toString(longAgo.toEpochMilli()));
		Instant latest = new IntervalSchedule(Duration.ofDays(1)).latest(Instant.now());
		try (ConfigurableApplicationContext first = TaskqApp.start(redis.server(), DailyRunOnce.class, this.runs)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.runs.all.size() == 1);
			try (ConfigurableApplicationContext second = TaskqApp.start(redis.server(), DailyRunOnce.class,
					this.runs)) {
				// Absence can only be shown by waiting; the second instance fired at
				// start.
				sleep(Duration.ofSeconds(2));
			}
		}
		assertThat(this.runs.occurrences("daily.catchup")).containsExactly(latest);
		assertThat(this.runs.jobIds()).containsExactly("daily.catchup@" + latest);
		assertThat(lastFired("daily.catchup")).isEqualTo(latest);
	}

	@Test
	void skipMisfireDropsMissedOccurrencesAndANewScheduleHasNoPastToCatchUp() {
		Instant longAgo = Instant.now().minus(Duration.ofDays(400));
		redis.server()
			.command("HSET", "taskq:{default}:recurring:yearly.skip", "last", Long.toString(longAgo.toEpochMilli()));
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), YearlyRunOnceAndSkip.class,
				this.runs)) {
			Instant newYear = Instant.now()
				.atZone(ZoneOffset.UTC)
				.withDayOfYear(1)
				.truncatedTo(ChronoUnit.DAYS)
				.toInstant();
			// The script records the occurrences it passes over, so this shows both were
			// fired, not merely not yet looked at.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> newYear.equals(lastFired("yearly.skip")) && newYear.equals(lastFired("yearly.fresh")));
			sleep(Duration.ofSeconds(1));
			assertThat(this.runs.all).isEmpty();
			List<RecurringJobInfo> infos = app.getBean(RecurringJobs.class).list();
			assertThat(infos).extracting(RecurringJobInfo::name).containsExactly("yearly.fresh", "yearly.skip");
			assertThat(infos).allSatisfy((info) -> {
				assertThat(info.lastFired()).isEqualTo(newYear);
				assertThat(info.nextOccurrence()).isEqualTo(newYear.atZone(ZoneOffset.UTC).plusYears(1).toInstant());
			});
		}
	}

	@Test
	void pausedScheduleRunsOnNoInstanceAndResumesWithoutBacklog() {
		try (ConfigurableApplicationContext first = TaskqApp.start(redis.server(), EverySecond.class, this.runs);
				ConfigurableApplicationContext second = TaskqApp.start(redis.server(), EverySecond.class, this.runs)) {
			RecurringJobs recurring = second.getBean(RecurringJobs.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> !this.runs.occurrences("tick").isEmpty());
			first.getBean(RecurringJobs.class).pause("tick");
			Instant pausedAt = Instant.now();
			RecurringJobInfo paused = recurring.list().get(0);
			assertThat(paused.name()).isEqualTo("tick");
			assertThat(paused.queue()).isEqualTo("default");
			assertThat(paused.schedule()).isEqualTo(new IntervalSchedule(Duration.ofSeconds(1)));
			assertThat(paused.paused()).isTrue();
			assertThat(paused.nextOccurrence()).isAfter(pausedAt)
				.isBeforeOrEqualTo(pausedAt.plusSeconds(1))
				.isEqualTo(paused.nextOccurrence().truncatedTo(ChronoUnit.SECONDS));
			sleep(Duration.ofSeconds(3));
			assertThat(this.runs.occurrences("tick")).noneMatch((occurrence) -> occurrence.isAfter(pausedAt));
			// Paused occurrences are claimed and passed over, so resume finds no backlog.
			assertThat(lastFired("tick")).isAfter(pausedAt.plusSeconds(1));
			recurring.resume("tick");
			Instant resumedAt = Instant.now();
			assertThat(recurring.list().get(0).paused()).isFalse();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.runs.occurrences("tick")
					.stream()
					.anyMatch((occurrence) -> occurrence.isAfter(resumedAt)));
			// An occurrence due just before the resume may fire just after it, rightly:
			// the scheduler fires each occurrence a moment after its instant.
			assertThat(this.runs.occurrences("tick")).noneMatch(
					(occurrence) -> occurrence.isAfter(pausedAt) && !occurrence.isAfter(resumedAt.minusSeconds(1)));
			assertThat(this.runs.occurrences("tick")).doesNotHaveDuplicates();
			assertThatIllegalArgumentException().isThrownBy(() -> recurring.pause("nope"))
				.withMessage("No recurring job 'nope' in this application; it has [tick]");
		}
	}

	@Test
	void cronScheduleFiresOnItsInstantsInItsZone() {
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), EveryTwoSeconds.class, this.runs)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.runs.all.size() >= 3);
		}
		List<Instant> occurrences = this.runs.occurrences("even").stream().sorted().toList();
		assertThat(occurrences).doesNotHaveDuplicates()
			.allSatisfy((occurrence) -> assertThat(occurrence.toEpochMilli() % 2000).isZero());
		for (int i = 1; i < occurrences.size(); i++) {
			assertThat(Duration.between(occurrences.get(i - 1), occurrences.get(i))).isEqualTo(Duration.ofSeconds(2));
		}
		assertThat(this.runs.all).allSatisfy((run) -> assertThat(run.startedAt()).isAfterOrEqualTo(run.occurrence()));
	}

	@Test
	void shortRedisOutageLosesNoOccurrenceAndRunsNoneTwice(CapturedOutput output) throws Exception {
		try (RedisServer server = RedisServer.start("--appendonly", "yes", "--appendfsync", "always");
				ConfigurableApplicationContext app = TaskqApp.start(server, EverySecond.class, this.runs,
						"spring.data.redis.timeout=1s", "taskq.poll-timeout=500ms")) {
			await().atMost(Duration.ofSeconds(5)).until(() -> !this.runs.occurrences("tick").isEmpty());
			server.kill();
			// Down for several occurrences, all within the misfire threshold.
			Thread.sleep(3000);
			server.restart();
			Instant restartedAt = Instant.now();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.runs.occurrences("tick")
					.stream()
					.anyMatch((occurrence) -> occurrence.isAfter(restartedAt.plusSeconds(1))));
		}
		List<Instant> occurrences = this.runs.occurrences("tick").stream().sorted().toList();
		assertThat(occurrences).doesNotHaveDuplicates();
		Instant first = occurrences.get(0);
		Instant last = occurrences.get(occurrences.size() - 1);
		assertThat(occurrences).hasSize((int) Duration.between(first, last).toSeconds() + 1);
		assertThat(output).containsOnlyOnce("Firing recurring jobs failed, retrying with backoff");
		assertThat(output).contains("Firing recurring jobs recovered");
		assertThat(output.toString().lines().filter((line) -> line.contains("\tat io.taskq"))).isEmpty();
	}

	private static Instant lastFired(String name) {
		String last = redis.server().command("HGET", "taskq:{default}:recurring:" + name, "last");
		return (!last.isEmpty()) ? Instant.ofEpochMilli(Long.parseLong(last)) : null;
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Every run of a recurring job, across all app instances of a test.
	 */
	static final class Runs {

		final Queue<Run> all = new ConcurrentLinkedQueue<>();

		void record(JobContext context) {
			this.all.add(new Run(context.task(), context.jobId().value(),
					Instant.parse(context.headers().get(RecurringJob.OCCURRENCE_HEADER)), Instant.now()));
		}

		List<Instant> occurrences(String task) {
			return this.all.stream().filter((run) -> run.task().equals(task)).map(Run::occurrence).toList();
		}

		List<String> jobIds() {
			return this.all.stream().map(Run::jobId).toList();
		}

	}

	record Run(String task, String jobId, Instant occurrence, Instant startedAt) {
	}

	@Configuration(proxyBeanMethods = false)
	static class EverySecond {

		@Autowired
		Runs runs;

		@TaskHandler(task = "tick", every = "1s")
		void tick(JobContext context) {
			this.runs.record(context);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DailyRunOnce {

		@Autowired
		Runs runs;

		@TaskHandler(task = "daily.catchup", every = "24h", misfire = "run-once")
		void catchUp(JobContext context) {
			this.runs.record(context);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class YearlyRunOnceAndSkip {

		@Autowired
		Runs runs;

		@TaskHandler(task = "yearly.skip", cron = "0 0 0 1 1 *", misfire = "skip")
		void skip(JobContext context) {
			this.runs.record(context);
		}

		@TaskHandler(task = "yearly.fresh", cron = "0 0 0 1 1 *", zone = "UTC", misfire = "run-once")
		void fresh(JobContext context) {
			this.runs.record(context);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EveryTwoSeconds {

		@Autowired
		Runs runs;

		@TaskHandler(task = "even", cron = "*/2 * * * * *", zone = "Asia/Kathmandu")
		void even(JobContext context) {
			this.runs.record(context);
		}

	}

}
