package io.taskq.listener;

import java.util.Locale;

/**
 * Writes a duration the way a person reads it in a log line or a dead letter's reason
 * ("2.5 s", "40 s", "12 min", "1.5 h"), rather than ISO-8601's "PT2.5S".
 */
final class Durations {

	private Durations() {
	}

	static String describe(long millis) {
		if (millis < 10_000) {
			return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
		}
		if (millis < 120_000) {
			return (millis / 1000) + " s";
		}
		if (millis < 3_600_000) {
			return (millis / 60_000) + " min";
		}
		return String.format(Locale.ROOT, "%.1f h", millis / 3_600_000.0);
	}

}
