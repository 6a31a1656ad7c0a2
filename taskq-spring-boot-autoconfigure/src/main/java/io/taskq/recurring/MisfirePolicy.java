package io.taskq.recurring;

import java.util.Locale;

/**
 * What happens to occurrences that no instance fired in time (every instance was down, or
 * Redis was unreachable, for longer than {@code taskq.recurring.misfire-threshold}).
 */
public enum MisfirePolicy {

	/** Missed occurrences are dropped; the schedule goes on with the next one. */
	SKIP("skip"),

	/** Missed occurrences, however many, run as one job as soon as an instance can. */
	RUN_ONCE("run-once");

	private final String value;

	MisfirePolicy(String value) {
		this.value = value;
	}

	/** The name as written in {@code @TaskHandler(misfire = ...)} and sent to Redis. */
	public String value() {
		return this.value;
	}

	/**
	 * @throws IllegalArgumentException naming the allowed values
	 */
	public static MisfirePolicy of(String value) {
		String normalized = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
		for (MisfirePolicy policy : values()) {
			if (policy.value.equals(normalized)) {
				return policy;
			}
		}
		throw new IllegalArgumentException("misfire '" + value + "' is neither 'skip' nor 'run-once'");
	}

}
