package io.taskq;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.util.Assert;

/**
 * The identity of a job, stable across retries, reclaims and dead-lettering.
 * <p>
 * Generated ids are 26-character ULIDs: 48 bits of milliseconds then 80 random bits in
 * Crockford base 32, so they sort by creation time and stay unique without coordination.
 *
 * @param value the id as it appears on the wire and in logs
 */
public record JobId(String value) implements Comparable<JobId> {

	private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

	private static final long SEED = new SecureRandom().nextLong();

	public JobId {
		Assert.hasText(value, "Job id must not be empty");
		Assert.isTrue(value.length() <= 200, "Job id must not be longer than 200 characters");
	}

	public static JobId of(String value) {
		return new JobId(value);
	}

	/** A new time-ordered random id. */
	public static JobId generate() {
		// ThreadLocalRandom (mixed with a per-JVM secure seed) keeps bulk enqueue free of
		// SecureRandom contention; ids need uniqueness, not unpredictability.
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = random.nextLong() ^ SEED;
		long low = random.nextLong();
		long time = System.currentTimeMillis();
		char[] chars = new char[26];
		for (int i = 9; i >= 0; i--) {
			chars[i] = ALPHABET[(int) (time & 31)];
			time >>>= 5;
		}
		for (int i = 10; i < 26; i++) {
			long bits = (i < 18) ? (high >>> ((i - 10) * 5)) : (low >>> ((i - 18) * 5));
			chars[i] = ALPHABET[(int) (bits & 31)];
		}
		return new JobId(new String(chars));
	}

	@Override
	public int compareTo(JobId other) {
		return this.value.compareTo(other.value);
	}

	@Override
	public String toString() {
		return this.value;
	}

}
