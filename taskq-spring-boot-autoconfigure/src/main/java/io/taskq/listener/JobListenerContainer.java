package io.taskq.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskq.retry.FailedJobWriter;
import io.taskq.support.JobObserver;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.StreamScripts;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Runs the jobs of a {@link WorkerPool}: a fetcher thread reads the pool's queues through
 * their consumer groups, a fixed pool of workers runs the handlers, and each queue's
 * {@link OutcomeWriter} acknowledges them in batches. A job holds its slot until its
 * handler returns or, for a handler returning a {@code CompletionStage}, until the stage
 * completes. Such a handler only starts its work, so the fetcher invokes it itself: a
 * hand-off to a worker thread and back costs more than the call.
 * <p>
 * Round trips per job on the hot path: one XREADGROUP per batch of up to
 * {@code concurrency} jobs (on a dedicated connection, since it blocks; see
 * {@link PoolReader}) and one ack script (XACK, then the shared trim: XINFO GROUPS,
 * XPENDING of the oldest entry, XTRIM) per batch of finished jobs. Nothing is written per
 * job otherwise.
 * <p>
 * The container is the pool's lifecycle: it starts and stops the {@link JobFetcher}, the
 * workers, the {@link ClaimKeeper} (which renews the claims of the jobs held here on a
 * thread of its own) and each queue's writer, and routes pause and cancel requests.
 */
class JobListenerContainer {

	private final String name;

	private final List<QueueLane> lanes;

	private final Map<String, QueueLane> lanesByQueue = new HashMap<>();

	private final ListenerOptions options;

	private final int concurrency;

	private final WorkerSlots slots;

	private final ThreadPoolExecutor workers;

	private final Thread fetcher;

	private final JobFetcher fetch;

	private final ClaimKeeper claimKeeper;

	private volatile boolean abandoned;

	public JobListenerContainer(WorkerPool pool, KeySpace keys, ListenerOptions options,
			RedisConnectionFactory connectionFactory, StringRedisTemplate redis, TaskEndpointRegistry endpoints,
			FailedJobWriter failedJobs, JobObserver observer) {
		this.name = pool.name();
		this.options = options;
		this.concurrency = pool.concurrency();
		List<QueueLane> lanes = new ArrayList<>();
		for (int i = 0; i < pool.queues().size(); i++) {
			QueueLane lane = new QueueLane(keys.queue(pool.queues().get(i)), pool.weight(i), options, redis, endpoints,
					failedJobs, observer, () -> this.abandoned);
			lanes.add(lane);
			this.lanesByQueue.put(lane.queue(), lane);
		}
		this.lanes = List.copyOf(lanes);
		LaneOrder order = pool.isWeighted() ? LaneOrder.weighted(new SplittableRandom()) : LaneOrder.STRICT;
		PoolReader reader = new PoolReader(connectionFactory, StreamScripts.consumer(options.consumerName()),
				this.lanes, order, options.blockTimeout());
		this.slots = new WorkerSlots(this.concurrency);
		this.claimKeeper = new ClaimKeeper(this.name, this.lanes, options.claimRefreshInterval());
		AtomicInteger threads = new AtomicInteger();
		this.workers = new ThreadPoolExecutor(this.concurrency, this.concurrency, 0, TimeUnit.MILLISECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "taskq-" + this.name + "-" + threads.incrementAndGet());
					// Daemons, so a handler that ignores interruption cannot hold the JVM
					// after stop.
					thread.setDaemon(true);
					return thread;
				});
		// Not a daemon: like a web server's threads, it keeps a worker-only application
		// alive.
		this.fetch = new JobFetcher(describe(), this.lanes, reader, observer, this.slots, this.workers,
				this.concurrency, options);
		this.fetcher = new Thread(this.fetch, "taskq-" + this.name + "-fetch");
	}

	/** The pool's name. */
	public String name() {
		return this.name;
	}

	/** The queues this container serves, highest priority first. */
	public List<String> queues() {
		return this.lanes.stream().map(QueueLane::queue).toList();
	}

	/** The worker slots of the pool. */
	int concurrency() {
		return this.concurrency;
	}

	/** How many jobs are in a handler now. */
	int running() {
		return this.lanes.stream().mapToInt(QueueLane::running).sum();
	}

	public boolean isPaused(String queue) {
		QueueLane lane = this.lanesByQueue.get(queue);
		return lane != null && lane.isPaused();
	}

	/**
	 * Pauses or resumes fetching from a queue on this instance (running jobs go on).
	 * Called when the queue's pause flag changes; see
	 * {@link io.taskq.client.QueueControl}.
	 */
	public void setPaused(String queue, boolean paused) {
		QueueLane lane = this.lanesByQueue.get(queue);
		if (lane != null) {
			setPaused(lane, paused);
		}
	}

	private void setPaused(QueueLane lane, boolean paused) {
		this.fetch.setPaused(lane, paused);
	}

	/**
	 * Cancels a job of one of this container's queues: it will not start here, and if it
	 * runs here now its handler is interrupted (an asynchronous handler's stage is
	 * cancelled) and sees {@link io.taskq.JobContext#isCancellationRequested()}.
	 */
	public void cancel(String queue, String jobId) {
		QueueLane lane = this.lanesByQueue.get(queue);
		if (lane != null) {
			lane.cancel(jobId, System.currentTimeMillis());
		}
	}

	/**
	 * Reads what the queues' channels announce from Redis: the pause flags and recent
	 * cancellations, in case an announcement was missed.
	 */
	public void checkControls() {
		for (QueueLane lane : this.lanes) {
			setPaused(lane, lane.readControls());
		}
	}

	public void start() {
		this.lanes.forEach(QueueLane::start);
		this.claimKeeper.start();
		this.fetcher.start();
	}

	/**
	 * Stops fetching, lets running jobs finish within the shutdown timeout and writes
	 * their outcomes, each step by its deadline whatever Redis does. Jobs still running
	 * after it, or whose outcomes Redis did not take in time, stay pending in Redis and
	 * are reclaimed by another instance (or this one after a restart).
	 */
	void stop(StopDeadlines deadlines) {
		this.fetch.stopFetching();
		// An interrupt of the stopping thread does not cut short the wait for running
		// jobs or for the writing of their outcomes (the jobs would run again): each
		// wait ends by its deadline anyway, and the interrupt is kept for the caller.
		boolean interrupted = Thread.interrupted();
		this.fetch.interrupt(this.fetcher, deadlines.jobs());
		// Interrupted, a read of the fetcher ends at once, even on a frozen server.
		StopDeadlines.join(this.fetcher, deadlines.outcomes());
		this.workers.shutdown();
		Duration timeout = this.options.shutdownTimeout();
		JobsAwaited awaited = awaitJobs(deadlines.jobs());
		boolean finished = awaited.finished();
		if (!finished) {
			this.lanes.forEach((lane) -> lane.warnAbandoned(timeout));
			this.abandoned = true;
			this.workers.shutdownNow();
			this.lanes.forEach(QueueLane::abandonPendingStages);
		}
		// Every lane's writer starts on its last outcomes before any is waited for.
		this.lanes.forEach(QueueLane::beginStop);
		boolean written = true;
		for (QueueLane lane : this.lanes) {
			written &= lane.awaitStopped(deadlines.outcomes());
		}
		this.claimKeeper.stop();
		if (finished && written) {
			GroupLeaving.leave(this.name, describe(), this.lanes, deadlines.groups());
		}
		if (interrupted || awaited.interrupted() || Thread.interrupted()) {
			Thread.currentThread().interrupt();
		}
	}

	private String describe() {
		return (this.lanes.size() == 1) ? "queue '" + this.lanes.get(0).queue() + "'"
				: "pool '" + this.name + "' (queues " + queues() + ")";
	}

	/**
	 * Waits for every running job, asynchronous ones included, to give back its slot (the
	 * {@link ClaimKeeper} renews their claims meanwhile). An interrupt does not cut the
	 * wait short: it is bounded by the shutdown timeout anyway.
	 */
	private JobsAwaited awaitJobs(long deadline) {
		boolean interrupted = false;
		while (true) {
			long remaining = deadline - System.nanoTime();
			if (this.slots.await(this.concurrency, Math.max(0, remaining))) {
				return new JobsAwaited(true, interrupted);
			}
			interrupted |= Thread.interrupted();
			if (remaining <= 0) {
				return new JobsAwaited(false, interrupted);
			}
		}
	}

	/**
	 * The end of the wait for running jobs at stop.
	 *
	 * @param finished whether every job finished in time
	 * @param interrupted whether the stopping thread was interrupted while it waited
	 */
	private record JobsAwaited(boolean finished, boolean interrupted) {

	}

}
