package io.taskq.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A rolling summary of handler run times per task over each task's last {@value #WINDOW}
 * runs: count, mean, max and p99, slowest first, so "which task is slow?" is one call.
 */
public class TaskTimings implements JobObserver {

	/** Runs per task the summary covers. */
	public static final int WINDOW = 1024;

	private final Map<QueueTask, Ring> rings = new ConcurrentHashMap<>();

	@Override
	public void executed(JobExecution execution) {
		this.rings.computeIfAbsent(new QueueTask(execution.queue(), execution.task()), Ring::new)
			.add(execution.durationNanos());
	}

	/** Every task's summary, slowest p99 first. */
	public List<TaskTiming> slowestFirst() {
		List<TaskTiming> timings = new ArrayList<>();
		this.rings.values().forEach((ring) -> timings.add(ring.summary()));
		timings.sort(Comparator.comparing(TaskTiming::p99).thenComparing(TaskTiming::max).reversed());
		return timings;
	}

	/**
	 * One task's run times over its last runs.
	 *
	 * @param queue the queue
	 * @param task the task
	 * @param count runs in the window
	 * @param mean mean run time
	 * @param max longest run
	 * @param p99 99th percentile
	 */
	public record TaskTiming(String queue, String task, int count, Duration mean, Duration max, Duration p99) {

	}

	private static final class Ring {

		private final String queue;

		private final String task;

		private final long[] durations = new long[WINDOW];

		private long total;

		Ring(QueueTask key) {
			this.queue = key.queue();
			this.task = key.task();
		}

		synchronized void add(long nanos) {
			this.durations[(int) (this.total % WINDOW)] = nanos;
			this.total++;
		}

		synchronized TaskTiming summary() {
			int count = (int) Math.min(this.total, WINDOW);
			long[] sorted = Arrays.copyOf(this.durations, count);
			Arrays.sort(sorted);
			long sum = 0;
			for (long value : sorted) {
				sum += value;
			}
			long p99 = sorted[Math.max(0, (int) Math.ceil(count * 0.99) - 1)];
			return new TaskTiming(this.queue, this.task, count, Duration.ofNanos(sum / count),
					Duration.ofNanos(sorted[count - 1]), Duration.ofNanos(p99));
		}

	}

	private record QueueTask(String queue, String task) {

	}

}
