package io.taskq.listener;

import java.util.Collection;
import java.util.List;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A pool of worker slots that serves one queue, or several queues in order of priority or
 * by weight (see {@link LaneOrder}). One {@link JobListenerContainer} runs each pool.
 *
 * @param name names the pool's threads
 * @param queues the queues served, highest priority first
 * @param weights empty for strict priority, otherwise one positive weight per queue
 * @param concurrency jobs run at once, over all the pool's queues
 */
public record WorkerPool(String name, List<String> queues, List<Integer> weights, int concurrency) {

	public WorkerPool {
		Assert.hasText(name, "Pool name must not be empty");
		Assert.notEmpty(queues, "Pool '" + name + "' must name at least one queue");
		Assert.isTrue(queues.stream().distinct().count() == queues.size(),
				"Pool '" + name + "' names a queue twice: " + queues);
		Assert.isTrue(weights.isEmpty() || weights.size() == queues.size(), "Pool '" + name + "' has " + weights.size()
				+ " weights for " + queues.size() + " queues; give one per queue or none");
		Assert.isTrue(weights.stream().allMatch((weight) -> weight != null && weight > 0),
				"Weights of pool '" + name + "' must be positive: " + weights);
		Assert.isTrue(concurrency > 0, "Concurrency of pool '" + name + "' must be positive");
		queues = List.copyOf(queues);
		weights = List.copyOf(weights);
	}

	/** A pool that serves one queue alone. */
	public static WorkerPool of(String queue, int concurrency) {
		return new WorkerPool(queue, List.of(queue), List.of(), concurrency);
	}

	/** Whether the queues share slots by weight rather than by strict priority. */
	public boolean isWeighted() {
		return !this.weights.isEmpty();
	}

	/** The weight of the queue at an index; 1 under strict priority. */
	int weight(int index) {
		return isWeighted() ? this.weights.get(index) : 1;
	}

	/**
	 * This pool restricted to the given queues (in its own order), or {@code null} if it
	 * serves none of them.
	 */
	@Nullable WorkerPool retain(Collection<String> served) {
		List<Integer> indexes = IntStream.range(0, this.queues.size())
			.filter((i) -> served.contains(this.queues.get(i)))
			.boxed()
			.toList();
		if (indexes.size() == this.queues.size()) {
			return this;
		}
		if (indexes.isEmpty()) {
			return null;
		}
		return new WorkerPool(this.name, indexes.stream().map(this.queues::get).toList(),
				isWeighted() ? indexes.stream().map(this.weights::get).toList() : List.of(), this.concurrency);
	}

}
