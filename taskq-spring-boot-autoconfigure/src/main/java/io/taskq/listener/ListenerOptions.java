package io.taskq.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.taskq.retry.DeadLetteringRecoverer;
import io.taskq.retry.ErrorClassifier;
import io.taskq.retry.JobRecoverer;
import io.taskq.retry.RetryPolicy;
import io.taskq.support.redis.DeadLetterBounds;

import org.springframework.util.Assert;

/**
 * How the listener containers of an application run. Built once from {@code taskq.*}
 * properties.
 *
 * @param consumerName this instance's consumer name in every queue's group; unique per
 * running instance
 * @param concurrency jobs run at once per queue, unless the queue overrides it
 * @param queueConcurrency per-queue overrides of {@code concurrency}
 * @param pollTimeout how long one blocking read waits for jobs
 * @param visibilityTimeout how long a job may stay pending without its claim being
 * refreshed before another instance reclaims it
 * @param shutdownTimeout how long stopping waits for running jobs; the whole stop takes
 * at most this plus {@link ListenerContainerRegistry#SHUTDOWN_MARGIN}
 * @param retry the retry policy of handlers that do not set their own
 * @param slowTaskThreshold how long a job may run before it is logged as slow, unless its
 * handler sets its own threshold
 * @param concurrencyWait how long a job whose concurrency key has no free slot waits
 * before it tries again (jittered between half and all of it)
 * @param trackingTtl how long a tracked job's state and result, and a cancellation
 * request, stay in Redis after their last change
 * @param unhandledTaskGrace how long a job whose task has no handler on the instances
 * that fetch it waits for one that has it before it goes to the dead letters, counted
 * from when an instance first found it so; zero dead-letters it at once
 * @param pools pools of workers that serve several queues by priority or weight; every
 * other queue has a pool of its own
 * @param errorClassifier which errors are never retried
 * @param recoverer what becomes of a job that failed for the last time; a
 * {@link DeadLetteringRecoverer} dead-letters it in the outcome writer's batched write
 */
public record ListenerOptions(String consumerName, int concurrency, Map<String, Integer> queueConcurrency,
		Duration pollTimeout, Duration visibilityTimeout, Duration shutdownTimeout, RetryPolicy retry,
		Duration slowTaskThreshold, Duration concurrencyWait, Duration trackingTtl, Duration unhandledTaskGrace,
		List<WorkerPool> pools, ErrorClassifier errorClassifier, JobRecoverer recoverer,
		DeadLetterBounds deadLetterBounds) {

	public static final int DEFAULT_CONCURRENCY = 10;

	public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(10);

	public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(60);

	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

	public static final Duration DEFAULT_SLOW_TASK_THRESHOLD = Duration.ofSeconds(10);

	public static final Duration DEFAULT_CONCURRENCY_WAIT = Duration.ofSeconds(1);

	public static final Duration DEFAULT_TRACKING_TTL = Duration.ofDays(1);

	/**
	 * An hour: longer than a rolling deploy usually takes, so jobs of a new task wait for
	 * its first workers rather than die (issue 16, point 15).
	 */
	public static final Duration DEFAULT_UNHANDLED_TASK_GRACE = Duration.ofHours(1);

	public ListenerOptions {
		Assert.hasText(consumerName, "Consumer name must not be empty");
		Assert.isTrue(concurrency > 0, "Concurrency must be positive");
		queueConcurrency.forEach((queue, value) -> Assert.isTrue(value > 0,
				() -> "Concurrency of queue '" + queue + "' must be positive"));
		Assert.isTrue(pollTimeout.toMillis() > 0, "Poll timeout must be positive");
		Assert.isTrue(visibilityTimeout.toMillis() >= 1000, "Visibility timeout must be at least 1s");
		Assert.isTrue(!shutdownTimeout.isNegative(), "Shutdown timeout must not be negative");
		Assert.isTrue(!slowTaskThreshold.isNegative(), "Slow task threshold must not be negative");
		Assert.isTrue(concurrencyWait.toMillis() > 0, "Concurrency wait must be positive");
		Assert.isTrue(trackingTtl.toMillis() > 0, "Tracking time-to-live must be positive");
		Assert.isTrue(!unhandledTaskGrace.isNegative(), "Unhandled task grace must not be negative");
		queueConcurrency = Map.copyOf(queueConcurrency);
		Map<String, String> poolOfQueue = new HashMap<>();
		for (WorkerPool pool : pools) {
			for (String queue : pool.queues()) {
				String other = poolOfQueue.putIfAbsent(queue, pool.name());
				Assert.isTrue(other == null, () -> "Queue '" + queue + "' is in two pools, '" + other + "' and '"
						+ pool.name() + "'; a queue can be in one pool only");
			}
		}
		pools = List.copyOf(pools);
	}

	/**
	 * Options with the default error classifier, failed jobs going to the dead letters.
	 */
	public ListenerOptions(String consumerName, int concurrency, Map<String, Integer> queueConcurrency,
			Duration pollTimeout, Duration visibilityTimeout, Duration shutdownTimeout, RetryPolicy retry,
			Duration slowTaskThreshold, Duration concurrencyWait, Duration trackingTtl, Duration unhandledTaskGrace,
			List<WorkerPool> pools) {
		this(consumerName, concurrency, queueConcurrency, pollTimeout, visibilityTimeout, shutdownTimeout, retry,
				slowTaskThreshold, concurrencyWait, trackingTtl, unhandledTaskGrace, pools, ErrorClassifier.defaults(),
				new DeadLetteringRecoverer(), DeadLetterBounds.DEFAULT);
	}

	/**
	 * The pools that serve the given queues: the configured pools, restricted to those
	 * queues (a pool serving none of them is left out), then a pool of its own for every
	 * other queue.
	 * @param queues the queues that have handlers here
	 */
	public List<WorkerPool> poolsFor(Collection<String> queues) {
		List<WorkerPool> result = new ArrayList<>();
		Set<String> pooled = new HashSet<>();
		for (WorkerPool pool : this.pools) {
			WorkerPool served = pool.retain(queues);
			if (served != null) {
				result.add(served);
				pooled.addAll(served.queues());
			}
		}
		for (String queue : queues) {
			if (!pooled.contains(queue)) {
				result.add(WorkerPool.of(queue, concurrency(queue)));
			}
		}
		return result;
	}

	public int concurrency(String queue) {
		return this.queueConcurrency.getOrDefault(queue, this.concurrency);
	}

	/**
	 * How long one blocking read waits: the poll timeout, shortened if need be so that
	 * the fetcher turns several times per reclaim interval.
	 */
	public Duration blockTimeout() {
		Duration sixth = this.visibilityTimeout.dividedBy(6);
		return (this.pollTimeout.compareTo(sixth) < 0) ? this.pollTimeout : sixth;
	}

	/** How often a container looks for jobs abandoned by dead consumers. */
	public Duration reclaimInterval() {
		return this.visibilityTimeout.dividedBy(2);
	}

	/**
	 * How often the claims of the jobs an instance holds are renewed: a sixth of the
	 * visibility timeout, so a claim lapses only after five renewals in a row fail.
	 */
	public Duration claimRefreshInterval() {
		return this.visibilityTimeout.dividedBy(6);
	}

}
