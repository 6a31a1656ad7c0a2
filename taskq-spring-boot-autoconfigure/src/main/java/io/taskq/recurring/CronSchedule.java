package io.taskq.recurring;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.support.CronExpression;

/**
 * Fires when a Spring {@link CronExpression} (six fields, seconds first) matches in a
 * time zone.
 */
public final class CronSchedule implements Schedule {

	/**
	 * How far back {@link #latest} looks: 2^30 seconds, about 34 years, beyond the rarest
	 * cron (29 February on a Monday recurs every 28 years at most).
	 */
	private static final long MAX_LOOK_BACK_SECONDS = 1L << 30;

	private final String expression;

	private final ZoneId zone;

	private final CronExpression cron;

	/**
	 * @throws IllegalArgumentException if the expression is not a valid cron expression
	 */
	public CronSchedule(String expression, ZoneId zone) {
		this.expression = expression;
		this.zone = zone;
		this.cron = CronExpression.parse(expression);
	}

	public String expression() {
		return this.expression;
	}

	public ZoneId zone() {
		return this.zone;
	}

	@Override
	public @Nullable Instant next(Instant after) {
		ZonedDateTime next = this.cron.next(after.atZone(this.zone));
		return (next != null) ? next.toInstant() : null;
	}

	@Override
	public @Nullable Instant latest(Instant atOrBefore) {
		// CronExpression only looks forward. next(x) never decreases as x grows, so the
		// latest occurrence is next(x) for the largest whole second x whose next is still
		// at or before the limit: widen a window backwards until one is, then bisect.
		long limit = Math.floorDiv(atOrBefore.toEpochMilli(), 1000);
		long high = limit;
		long low;
		long step = 1;
		while (true) {
			low = limit - step;
			if (nextAtOrBefore(low, limit)) {
				break;
			}
			high = low;
			if (step >= MAX_LOOK_BACK_SECONDS) {
				return null;
			}
			step <<= 1;
		}
		while (high - low > 1) {
			long middle = low + (high - low) / 2;
			if (nextAtOrBefore(middle, limit)) {
				low = middle;
			}
			else {
				high = middle;
			}
		}
		return next(Instant.ofEpochSecond(low));
	}

	private boolean nextAtOrBefore(long second, long limit) {
		Instant next = next(Instant.ofEpochSecond(second));
		return next != null && next.getEpochSecond() <= limit;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof CronSchedule that && this.expression.equals(that.expression)
				&& this.zone.equals(that.zone);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.expression, this.zone);
	}

	@Override
	public String toString() {
		return "cron '" + this.expression + "' in " + this.zone;
	}

}
