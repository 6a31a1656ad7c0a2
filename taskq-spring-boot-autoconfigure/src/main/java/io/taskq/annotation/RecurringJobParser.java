package io.taskq.annotation;

import java.lang.reflect.Method;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.taskq.JobContext;
import io.taskq.recurring.CronSchedule;
import io.taskq.recurring.IntervalSchedule;
import io.taskq.recurring.MisfirePolicy;
import io.taskq.recurring.RecurringJob;
import io.taskq.recurring.Schedule;
import org.jspecify.annotations.Nullable;

import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.util.StringUtils;

/**
 * Turns the schedule attributes of a {@code @TaskHandler} (placeholders already resolved)
 * into a {@link RecurringJob}, failing start-up with a message naming the handler for
 * anything that does not fit.
 */
final class RecurringJobParser {

	/**
	 * Cron schedules without a zone run in UTC, not the JVM's zone: instances in
	 * different zones would otherwise fire at different instants.
	 */
	static final ZoneId DEFAULT_ZONE = ZoneOffset.UTC;

	private RecurringJobParser() {
	}

	/**
	 * @param description the bean and method, for messages
	 * @return the recurring job, or {@code null} if the handler declares no schedule
	 * @throws IllegalStateException if the schedule attributes or the method do not fit
	 */
	static @Nullable RecurringJob parse(String task, String queue, String cron, String zone, String every,
			String misfire, Method method, String description) {
		String prefix = "@TaskHandler on " + description;
		if (!StringUtils.hasText(cron) && !StringUtils.hasText(every)) {
			if (StringUtils.hasText(zone) || StringUtils.hasText(misfire)) {
				throw new IllegalStateException(prefix + " has zone or misfire but neither cron nor every");
			}
			return null;
		}
		if (StringUtils.hasText(cron) && StringUtils.hasText(every)) {
			throw new IllegalStateException(prefix + " has both cron and every; give one");
		}
		for (Class<?> type : method.getParameterTypes()) {
			if (!JobContext.class.isAssignableFrom(type)) {
				throw new IllegalStateException(prefix + " has a schedule, so it takes no payload (only a JobContext), "
						+ "but declares a " + type.getSimpleName() + " parameter");
			}
		}
		Schedule schedule = StringUtils.hasText(cron) ? cron(cron.trim(), zone, prefix) : interval(every, zone, prefix);
		try {
			MisfirePolicy policy = StringUtils.hasText(misfire) ? MisfirePolicy.of(misfire) : MisfirePolicy.SKIP;
			return new RecurringJob(task, queue, schedule, policy);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(prefix + ": " + ex.getMessage(), ex);
		}
	}

	private static Schedule cron(String cron, String zone, String prefix) {
		ZoneId zoneId;
		try {
			zoneId = StringUtils.hasText(zone) ? ZoneId.of(zone.trim()) : DEFAULT_ZONE;
		}
		catch (DateTimeException ex) {
			throw new IllegalStateException(prefix + " has zone '" + zone + "', not a time zone id", ex);
		}
		try {
			return new CronSchedule(cron, zoneId);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(prefix + " has cron '" + cron
					+ "', not a Spring cron expression (six fields, seconds first): " + ex.getMessage(), ex);
		}
	}

	private static Schedule interval(String every, String zone, String prefix) {
		if (StringUtils.hasText(zone)) {
			throw new IllegalStateException(prefix + " has a zone, which applies to cron only "
					+ "(intervals fire at multiples of the interval since the epoch)");
		}
		Duration interval;
		try {
			interval = DurationFormatterUtils.detectAndParse(every.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(prefix + " has every '" + every + "', not a duration", ex);
		}
		try {
			return new IntervalSchedule(interval);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(prefix + ": " + ex.getMessage(), ex);
		}
	}

}
