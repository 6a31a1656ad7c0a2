package io.taskq.recurring;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Occurrence instants of cron and interval schedules, which every instance must compute
 * alike.
 */
class RecurringScheduleTests {

	private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

	@Test
	void cronFiresAtItsLocalTimeInItsZoneAcrossDaylightSaving() {
		CronSchedule nineInParis = new CronSchedule("0 0 9 * * *", PARIS);
		assertThat(nineInParis.next(Instant.parse("2026-01-15T07:00:00Z"))).isEqualTo("2026-01-15T08:00:00Z");
		assertThat(nineInParis.next(Instant.parse("2026-07-15T06:00:00Z"))).isEqualTo("2026-07-15T07:00:00Z");
		assertThat(new CronSchedule("0 0 9 * * *", ZoneOffset.UTC).next(Instant.parse("2026-01-15T07:00:00Z")))
			.isEqualTo("2026-01-15T09:00:00Z");
	}

	@Test
	void cronLatestIsTheLastOccurrenceAtOrBeforeTheInstant() {
		CronSchedule nineInParis = new CronSchedule("0 0 9 * * *", PARIS);
		assertThat(nineInParis.latest(Instant.parse("2026-01-15T12:00:00Z"))).isEqualTo("2026-01-15T08:00:00Z");
		assertThat(nineInParis.latest(Instant.parse("2026-01-15T08:00:00Z"))).isEqualTo("2026-01-15T08:00:00Z");
		assertThat(nineInParis.latest(Instant.parse("2026-01-15T07:59:59.999Z"))).isEqualTo("2026-01-14T08:00:00Z");
		CronSchedule everyTwoSeconds = new CronSchedule("*/2 * * * * *", PARIS);
		assertThat(everyTwoSeconds.latest(Instant.parse("2026-01-15T10:00:03.500Z"))).isEqualTo("2026-01-15T10:00:02Z");
		CronSchedule newYear = new CronSchedule("0 0 0 1 1 *", ZoneOffset.UTC);
		assertThat(newYear.latest(Instant.parse("2026-06-01T12:34:56Z"))).isEqualTo("2026-01-01T00:00:00Z");
	}

	@Test
	void cronLatestAgreesWithNextForManyInstantsAndExpressions() {
		Random random = new Random(42);
		List<CronSchedule> schedules = List.of(new CronSchedule("*/7 * * * * *", PARIS),
				new CronSchedule("0 15 9-17 * * MON-FRI", PARIS), new CronSchedule("0 0 0 29 2 *", ZoneOffset.UTC),
				new CronSchedule("0 30 2 * * *", PARIS));
		long base = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
		for (CronSchedule schedule : schedules) {
			for (int i = 0; i < 200; i++) {
				Instant instant = Instant
					.ofEpochMilli(base + (long) (random.nextDouble() * Duration.ofDays(800).toMillis()));
				Instant latest = schedule.latest(instant);
				assertThat(latest).as("%s at %s", schedule, instant).isNotNull().isBeforeOrEqualTo(instant);
				assertThat(schedule.next(latest)).as("%s at %s", schedule, instant).isAfter(instant);
			}
		}
	}

	@Test
	void cronThatNeverMatchesHasNoOccurrences() {
		CronSchedule never = new CronSchedule("0 0 0 30 2 *", ZoneOffset.UTC);
		assertThat(never.next(Instant.parse("2026-01-01T00:00:00Z"))).isNull();
		assertThat(never.latest(Instant.parse("2026-01-01T00:00:00Z"))).isNull();
	}

	@Test
	void intervalFiresAtMultiplesOfTheIntervalSinceTheEpoch() {
		IntervalSchedule everySecond = new IntervalSchedule(Duration.ofSeconds(1));
		assertThat(everySecond.latest(Instant.parse("2026-01-15T10:00:03.500Z"))).isEqualTo("2026-01-15T10:00:03Z");
		assertThat(everySecond.next(Instant.parse("2026-01-15T10:00:03.500Z"))).isEqualTo("2026-01-15T10:00:04Z");
		IntervalSchedule hourly = new IntervalSchedule(Duration.ofHours(1));
		assertThat(hourly.latest(Instant.parse("2026-01-15T10:00:00Z"))).isEqualTo("2026-01-15T10:00:00Z");
		assertThat(hourly.next(Instant.parse("2026-01-15T10:00:00Z"))).isEqualTo("2026-01-15T11:00:00Z");
		IntervalSchedule sevenMinutes = new IntervalSchedule(Duration.ofMinutes(7));
		Instant latest = sevenMinutes.latest(Instant.parse("2026-01-15T10:00:00Z"));
		assertThat(latest.toEpochMilli() % Duration.ofMinutes(7).toMillis()).isZero();
		assertThat(latest).isAfter(Instant.parse("2026-01-15T09:53:00Z"));
		assertThat(sevenMinutes.next(latest)).isEqualTo(latest.plus(Duration.ofMinutes(7)));
	}

	@Test
	void intervalBelowOneSecondOrWithMicrosecondsIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new IntervalSchedule(Duration.ofMillis(500)))
			.withMessageContaining("at least 1s");
		assertThatIllegalArgumentException().isThrownBy(() -> new IntervalSchedule(Duration.ofNanos(1_000_001_000L)))
			.withMessageContaining("whole milliseconds");
		assertThat(new IntervalSchedule(Duration.ofMillis(1500)).latest(Instant.ofEpochMilli(4000)))
			.isEqualTo(Instant.ofEpochMilli(3000));
	}

	@Test
	void misfirePolicyReadsItsWrittenNames() {
		assertThat(MisfirePolicy.of("skip")).isEqualTo(MisfirePolicy.SKIP);
		assertThat(MisfirePolicy.of(" Run-Once ")).isEqualTo(MisfirePolicy.RUN_ONCE);
		assertThat(MisfirePolicy.of("RUN_ONCE")).isEqualTo(MisfirePolicy.RUN_ONCE);
		assertThatIllegalArgumentException().isThrownBy(() -> MisfirePolicy.of("later"))
			.withMessage("misfire 'later' is neither 'skip' nor 'run-once'");
	}

	@Test
	void jobIdNamesTheOccurrence() {
		RecurringJob job = new RecurringJob("report.daily", "default", new IntervalSchedule(Duration.ofDays(1)),
				MisfirePolicy.SKIP);
		assertThat(job.jobId(Instant.parse("2026-01-15T00:00:00Z")).value())
			.isEqualTo("report.daily@2026-01-15T00:00:00Z");
	}

}
