package io.taskq.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.taskq.fleet.DurationTally.DurationFigures;
import io.taskq.fleet.FleetViews.Latency;
import io.taskq.fleet.FleetViews.Series;
import io.taskq.fleet.FleetViews.TaskSummary;
import io.taskq.support.redis.FleetKeys;
import org.jspecify.annotations.Nullable;

/**
 * The fleet's figures over one range, as read from its buckets: runs per second, task
 * summaries and enqueue-to-start latency.
 */
final class FleetWindow {

	private final FleetRange range;

	private final Instant start;

	private final int points;

	private final double lastPointSeconds;

	private final Map<String, TaskFigures> tasks = new LinkedHashMap<>();

	private final DurationFigures waits;

	FleetWindow(FleetRange range, Instant start, List<Map<String, String>> buckets, double lastPointSeconds) {
		this.range = range;
		this.start = start;
		this.points = buckets.size();
		this.lastPointSeconds = lastPointSeconds;
		long[] waitBuckets = new long[DurationBuckets.COUNT];
		long waitCount = 0;
		long waitSum = 0;
		long waitMax = 0;
		for (int point = 0; point < buckets.size(); point++) {
			for (Map.Entry<String, String> field : buckets.get(point).entrySet()) {
				String[] parts = field.getKey().split(String.valueOf(FleetKeys.SEPARATOR), -1);
				long value = parseLong(field.getValue());
				if (parts.length == 4 && FleetKeys.TASK.equals(parts[0])) {
					this.tasks
						.computeIfAbsent(parts[1] + FleetKeys.SEPARATOR + parts[2],
								(key) -> new TaskFigures(parts[1], parts[2], this.points))
						.add(point, parts[3], value);
				}
				else if (parts.length == 3 && FleetKeys.WAIT.equals(parts[0])) {
					String metric = parts[2];
					switch (metric) {
						case FleetKeys.COUNT -> waitCount += value;
						case FleetKeys.SUM -> waitSum += value;
						case FleetKeys.MAX -> waitMax = Math.max(waitMax, value);
						default -> addToBucket(waitBuckets, metric, value);
					}
				}
			}
		}
		this.waits = new DurationFigures(waitCount, waitSum, waitMax, waitBuckets);
	}

	/** Runs finished and failed per second, per point. */
	Series series() {
		double[] processed = new double[this.points];
		double[] failed = new double[this.points];
		for (TaskFigures task : this.tasks.values()) {
			for (int point = 0; point < this.points; point++) {
				processed[point] += task.counts[point];
				failed[point] += task.failedCounts[point];
			}
		}
		List<Double> processedPerSecond = new ArrayList<>(this.points);
		List<Double> failedPerSecond = new ArrayList<>(this.points);
		for (int point = 0; point < this.points; point++) {
			double seconds = secondsOf(point);
			processedPerSecond.add(round(processed[point] / seconds));
			failedPerSecond.add(round(failed[point] / seconds));
		}
		return new Series(this.range.name().toLowerCase(Locale.ROOT), this.range.step().toSeconds(), this.start,
				processedPerSecond, failedPerSecond);
	}

	/** Every task that ran in the range, slowest (95th percentile) first. */
	List<TaskSummary> tasks() {
		List<TaskSummary> summaries = new ArrayList<>();
		for (TaskFigures task : this.tasks.values()) {
			summaries.add(task.summary());
		}
		summaries.sort(Comparator.comparingDouble(TaskSummary::p95Millis)
			.thenComparingDouble(TaskSummary::maxMillis)
			.reversed());
		return summaries;
	}

	/** Enqueue-to-start times over the range, every queue. */
	Latency latency() {
		return new Latency(this.waits.count(), millis(this.waits.meanMicros()), millis(this.waits.quantileMicros(0.5)),
				millis(this.waits.quantileMicros(0.95)), millis(this.waits.maxMicros()));
	}

	private double secondsOf(int point) {
		return (point == this.points - 1) ? this.lastPointSeconds : this.range.step().toSeconds();
	}

	private static void addToBucket(long[] buckets, String metric, long value) {
		if (metric.startsWith(FleetKeys.BUCKET)) {
			int index = (int) parseLong(metric.substring(FleetKeys.BUCKET.length()));
			if (index >= 0 && index < buckets.length) {
				buckets[index] += value;
			}
		}
	}

	private static long parseLong(String value) {
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static double millis(long micros) {
		return round(micros / 1000.0);
	}

	private static double round(double value) {
		return Math.round(value * 1000) / 1000.0;
	}

	/** One task's figures, per point where they vary and summed where they do not. */
	private static final class TaskFigures {

		private final String queue;

		private final String task;

		private final long[] counts;

		private final long[] failedCounts;

		private final long[] sums;

		private final long[] buckets = new long[DurationBuckets.COUNT];

		private long max;

		TaskFigures(String queue, String task, int points) {
			this.queue = queue;
			this.task = task;
			this.counts = new long[points];
			this.failedCounts = new long[points];
			this.sums = new long[points];
		}

		void add(int point, String metric, long value) {
			switch (metric) {
				case FleetKeys.COUNT -> this.counts[point] += value;
				case FleetKeys.FAILED -> this.failedCounts[point] += value;
				case FleetKeys.SUM -> this.sums[point] += value;
				case FleetKeys.MAX -> this.max = Math.max(this.max, value);
				default -> addToBucket(this.buckets, metric, value);
			}
		}

		TaskSummary summary() {
			long count = Arrays.stream(this.counts).sum();
			long failed = Arrays.stream(this.failedCounts).sum();
			long sum = Arrays.stream(this.sums).sum();
			DurationFigures runs = new DurationFigures(count, sum, this.max, this.buckets);
			List<@Nullable Double> trend = new ArrayList<>(this.counts.length);
			for (int point = 0; point < this.counts.length; point++) {
				trend.add((this.counts[point] > 0) ? millis(this.sums[point] / this.counts[point]) : null);
			}
			double failureRate = (count > 0) ? round((double) failed / count) : 0;
			return new TaskSummary(this.queue, this.task, count, failed, failureRate, millis(runs.meanMicros()),
					millis(runs.quantileMicros(0.95)), millis(this.max), trend);
		}

	}

}
