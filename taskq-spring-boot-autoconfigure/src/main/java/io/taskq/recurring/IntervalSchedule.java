package io.taskq.recurring;

import java.time.Duration;
import java.time.Instant;

import org.springframework.util.Assert;

/**
 * Fires every {@code interval}, at the multiples of the interval since the epoch (a
 * 5-minute schedule fires at :00, :05, ...), so every instance computes the same instants
 * whenever it started.
 *
 * @param interval the interval, at least one second, in whole milliseconds
 */
public record IntervalSchedule(Duration interval) implements Schedule {

	public IntervalSchedule {
		Assert.isTrue(interval.compareTo(Duration.ofSeconds(1)) >= 0,
				() -> "Recurring interval must be at least 1s, not " + interval);
		Assert.isTrue(interval.toNanos() % 1_000_000 == 0,
				() -> "Recurring interval must be whole milliseconds, not " + interval);
	}

	@Override
	public Instant next(Instant after) {
		return latest(after).plus(this.interval);
	}

	@Override
	public Instant latest(Instant atOrBefore) {
		long period = this.interval.toMillis();
		return Instant.ofEpochMilli(Math.floorDiv(atOrBefore.toEpochMilli(), period) * period);
	}

	@Override
	public String toString() {
		return "every " + this.interval;
	}

}
