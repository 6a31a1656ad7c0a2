package io.taskq.fleet;

import java.time.Duration;
import java.util.Locale;

/**
 * A span of the fleet's history the dashboard shows, and the buckets it reads for it.
 */
enum FleetRange {

	/** The last hour, one point per minute. */
	HOUR(Duration.ofMinutes(1), 60),

	/** The last day, one point per ten minutes. */
	DAY(Duration.ofMinutes(10), 144);

	private final Duration step;

	private final int points;

	FleetRange(Duration step, int points) {
		this.step = step;
		this.points = points;
	}

	Duration step() {
		return this.step;
	}

	int points() {
		return this.points;
	}

	/** Parses {@code hour} or {@code day}, in any case. */
	static FleetRange of(String name) {
		try {
			return valueOf(name.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Unknown range '" + name + "': use hour or day", ex);
		}
	}

}
