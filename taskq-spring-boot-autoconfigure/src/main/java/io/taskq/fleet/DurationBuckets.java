package io.taskq.fleet;

/**
 * The histogram buckets of run and wait times, shared by the instances that count and the
 * dashboard that reads: fixed upper bounds from 100 µs to 5 min, roughly 1-2.5-5 steps,
 * and a last bucket for anything longer. Percentiles read from them are interpolated
 * within a bucket, so they are estimates whose error is bounded by the bucket's width.
 */
final class DurationBuckets {

	/** Upper bounds in microseconds, inclusive. */
	private static final long[] BOUNDS = { 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000,
			500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000, 60_000_000, 300_000_000 };

	/** Buckets, the last one unbounded. */
	static final int COUNT = BOUNDS.length + 1;

	private DurationBuckets() {
	}

	static int indexOf(long micros) {
		for (int i = 0; i < BOUNDS.length; i++) {
			if (micros <= BOUNDS[i]) {
				return i;
			}
		}
		return BOUNDS.length;
	}

	/**
	 * The duration below which the given share of the counted ones fall, interpolated
	 * within its bucket; the last bucket reports the largest duration seen.
	 * @param counts per bucket
	 * @param quantile between 0 and 1
	 * @param maxMicros the largest duration counted
	 */
	static long quantile(long[] counts, double quantile, long maxMicros) {
		long total = 0;
		for (long count : counts) {
			total += count;
		}
		if (total == 0) {
			return 0;
		}
		double rank = quantile * total;
		long below = 0;
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] > 0 && below + counts[i] >= rank) {
				if (i == BOUNDS.length) {
					return maxMicros;
				}
				long lower = (i == 0) ? 0 : BOUNDS[i - 1];
				double within = (rank - below) / counts[i];
				long estimate = lower + Math.round(within * (BOUNDS[i] - lower));
				return Math.min(estimate, maxMicros);
			}
			below += counts[i];
		}
		return maxMicros;
	}

}
