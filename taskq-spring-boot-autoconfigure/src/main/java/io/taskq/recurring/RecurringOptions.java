package io.taskq.recurring;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How the recurring scheduler runs.
 *
 * @param misfireThreshold how late an occurrence may be fired and still count as on time;
 * later ones are misfires and follow the job's {@link MisfirePolicy}
 */
record RecurringOptions(Duration misfireThreshold) {

	public static final RecurringOptions DEFAULTS = new RecurringOptions(Duration.ofMinutes(1));

	public RecurringOptions {
		Assert.isTrue(!misfireThreshold.isNegative(), "Recurring misfire threshold must not be negative");
	}

}
