package io.taskq.dashboard;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * What a job list is narrowed to. Empty parts match everything.
 *
 * @param task the task name, exactly
 * @param error a part of the reason or error type, ignoring case (dead jobs only)
 * @param from the earliest due time or time of death
 * @param to the latest due time or time of death
 */
record JobFilter(@Nullable String task, @Nullable String error, @Nullable Instant from, @Nullable Instant to) {

	/** Matches every job. */
	public static final JobFilter ALL = new JobFilter(null, null, null, null);

	public JobFilter {
		task = StringUtils.hasText(task) ? task : null;
		error = StringUtils.hasText(error) ? error.toLowerCase(Locale.ROOT) : null;
	}

	/** A filter from request parameters, times as ISO-8601 instants. */
	static JobFilter of(@Nullable String task, @Nullable String error, @Nullable String from, @Nullable String to) {
		return new JobFilter(task, error, instant("from", from), instant("to", to));
	}

	boolean matchesError(String reason, String errorType) {
		return this.error == null || reason.toLowerCase(Locale.ROOT).contains(this.error)
				|| errorType.toLowerCase(Locale.ROOT).contains(this.error);
	}

	String minScore() {
		return (this.from != null) ? Long.toString(this.from.toEpochMilli()) : "-inf";
	}

	String maxScore() {
		return (this.to != null) ? Long.toString(this.to.toEpochMilli()) : "+inf";
	}

	private static @Nullable Instant instant(String name, @Nullable String value) {
		if (!StringUtils.hasText(value)) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("Filter '" + name + "' is not an ISO-8601 instant: '" + value
					+ "'; write it as 2026-12-03T10:15:30Z", ex);
		}
	}

}
