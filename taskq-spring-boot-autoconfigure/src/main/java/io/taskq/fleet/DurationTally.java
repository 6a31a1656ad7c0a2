package io.taskq.fleet;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * Counts, sum, maximum and histogram of durations since the last report, written by any
 * number of worker threads without locks and read-and-reset by the reporter. A duration
 * added while the reporter reads may land half in this report and half in the next; the
 * totals over both stay exact.
 */
class DurationTally {

	private final LongAdder count = new LongAdder();

	private final LongAdder sumMicros = new LongAdder();

	private final AtomicLong maxMicros = new AtomicLong();

	/**
	 * Striped like the count: runs of one task mostly land in one bucket, and an atomic
	 * counter there would be one cache line every worker thread fights over.
	 */
	private final LongAdder[] buckets = new LongAdder[DurationBuckets.COUNT];

	DurationTally() {
		for (int i = 0; i < this.buckets.length; i++) {
			this.buckets[i] = new LongAdder();
		}
	}

	void add(long micros) {
		this.count.increment();
		this.sumMicros.add(micros);
		this.buckets[DurationBuckets.indexOf(micros)].increment();
		long max = this.maxMicros.get();
		while (micros > max && !this.maxMicros.compareAndSet(max, micros)) {
			max = this.maxMicros.get();
		}
	}

	/** What was added since the last call, or {@code null} if nothing was. */
	@Nullable DurationFigures takeFigures() {
		long taken = this.count.sumThenReset();
		if (taken == 0) {
			return null;
		}
		long[] counts = new long[DurationBuckets.COUNT];
		for (int i = 0; i < counts.length; i++) {
			counts[i] = this.buckets[i].sumThenReset();
		}
		return new DurationFigures(taken, this.sumMicros.sumThenReset(), this.maxMicros.getAndSet(0), counts);
	}

	/**
	 * Durations gathered over some time.
	 *
	 * @param count how many
	 * @param sumMicros their sum
	 * @param maxMicros the longest
	 * @param buckets how many fell in each {@link DurationBuckets} bucket
	 */
	record DurationFigures(long count, long sumMicros, long maxMicros, long[] buckets) {

		long meanMicros() {
			return (this.count > 0) ? this.sumMicros / this.count : 0;
		}

		long quantileMicros(double quantile) {
			return DurationBuckets.quantile(this.buckets, quantile, this.maxMicros);
		}

		DurationFigures plus(DurationFigures other) {
			long[] sum = this.buckets.clone();
			for (int i = 0; i < sum.length && i < other.buckets.length; i++) {
				sum[i] += other.buckets[i];
			}
			return new DurationFigures(this.count + other.count, this.sumMicros + other.sumMicros,
					Math.max(this.maxMicros, other.maxMicros), sum);
		}

		static DurationFigures empty() {
			return new DurationFigures(0, 0, 0, new long[DurationBuckets.COUNT]);
		}

	}

}
