package io.taskq.dashboard;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.taskq.dashboard.DashboardReadController.RecurringRow;
import io.taskq.recurring.CronSchedule;
import io.taskq.recurring.IntervalSchedule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schedules in the dashboard's recurring list read as their annotations give them, not as
 * {@code cron '0 0 2 * * *' in Z} or {@code every PT1H}.
 */
class RecurringRowTests {

	@Test
	void describesACronWithItsZoneAndUtcByName() {
		assertThat(RecurringRow.describe(new CronSchedule("0 0 2 * * *", ZoneOffset.UTC))).isEqualTo("0 0 2 * * * UTC");
		assertThat(RecurringRow.describe(new CronSchedule("0 0 2 * * *", ZoneId.of("UTC"))))
			.isEqualTo("0 0 2 * * * UTC");
		assertThat(RecurringRow.describe(new CronSchedule("0 0 6 * * MON-FRI", ZoneId.of("Europe/Paris"))))
			.isEqualTo("0 0 6 * * MON-FRI Europe/Paris");
	}

	@Test
	void describesAnIntervalInShortUnits() {
		assertThat(RecurringRow.describe(new IntervalSchedule(Duration.ofSeconds(30)))).isEqualTo("every 30s");
		assertThat(RecurringRow.describe(new IntervalSchedule(Duration.ofHours(1)))).isEqualTo("every 1h");
		assertThat(RecurringRow.describe(new IntervalSchedule(Duration.ofMinutes(90)))).isEqualTo("every 1h30m");
		assertThat(RecurringRow.describe(new IntervalSchedule(Duration.ofDays(1)))).isEqualTo("every 24h");
	}

}
