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
import java.util.concurrent.locks.ReentrantLock;

import io.taskq.retry.FailedJobWriter;
import io.taskq.support.JobObserver;
import io.taskq.support.KeySpace;
import io.taskq.support.QueueKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.StringRecord;
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
 * {@link PoolReader}) and one ack script (XACK, XPENDING of the oldest entry, XTRIM) per
 * batch of finished jobs. Nothing is written per job otherwise.
 * <p>
 * The fetcher takes free worker slots first and reads no more jobs than it holds, so no
 * job waits in memory where a crash would strand it, and in a pool of several queues a
 * flood in one cannot hold back a queue of higher priority by more than the jobs already
 * running.
 * <p>
 * Between reads the fetcher also takes over jobs of dead consumers
 * ({@link PendingClaims}); the {@link ClaimKeeper} renews the claims of the jobs held
 * here on a thread of its own.
 */
public class JobListenerContainer {

	private static final Log logger = LogFactory.getLog(JobListenerContainer.class);

	/** Longest the fetcher waits for slots to free up while draining a backlog. */
	private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private final String name;

	private final List<QueueLane> lanes;

	private final Map<String, QueueLane> lanesByQueue = new HashMap<>();

	private final ListenerOptions options;

	private final int concurrency;

	/**
	 * {@link ListenerOptions#blockTimeout()}, worked out once: the fetcher waits that
	 * long on every turn, and the division behind it goes through {@code BigDecimal}.
	 */
	private final long blockTimeoutNanos;

	private final JobObserver observer;

	private final WorkerSlots slots;

	private final ThreadPoolExecutor workers;

	private final Thread fetcher;

	private final PoolReader reader;

	private final ClaimKeeper claimKeeper;

	private volatile boolean running;

	private volatile boolean abandoned;

	private final Object pauseMonitor = new Object();

	/**
	 * Held while the fetcher invokes a handler itself, so that stopping, which interrupts
	 * the fetcher, never interrupts a handler.
	 */
	private final ReentrantLock invoking = new ReentrantLock();

	/** Whether the last read filled every slot it asked for: more jobs are waiting. */
	private boolean backlog;

	/**
	 * Slots the fetcher took and has not yet handed to a job. Only the fetcher touches
	 * it; each dispatch takes one, and the end of a turn gives back the rest, so the
	 * count stays exact whatever throws in between.
	 */
	private int unassigned;

	public JobListenerContainer(WorkerPool pool, KeySpace keys, ListenerOptions options,
			RedisConnectionFactory connectionFactory, StringRedisTemplate redis, TaskEndpointRegistry endpoints,
			FailedJobWriter failedJobs, JobObserver observer) {
		this.name = pool.name();
		this.options = options;
		this.concurrency = pool.concurrency();
		this.blockTimeoutNanos = options.blockTimeout().toNanos();
		this.observer = observer;
		List<QueueLane> lanes = new ArrayList<>();
		for (int i = 0; i < pool.queues().size(); i++) {
			QueueLane lane = new QueueLane(keys.queue(pool.queues().get(i)), pool.weight(i), options, redis, endpoints,
					failedJobs, observer, () -> this.abandoned);
			lanes.add(lane);
			this.lanesByQueue.put(lane.queue(), lane);
		}
		this.lanes = List.copyOf(lanes);
		LaneOrder order = pool.isWeighted() ? LaneOrder.weighted(new SplittableRandom()) : LaneOrder.STRICT;
		this.reader = new PoolReader(connectionFactory, Consumer.from(QueueKeys.GROUP, options.consumerName()),
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
		this.fetcher = new Thread(this::fetchLoop, "taskq-" + this.name + "-fetch");
	}

	/** The pool's name. */
	public String name() {
		return this.name;
	}

	/** The queues this container serves, highest priority first. */
	public List<String> queues() {
		return this.lanes.stream().map(QueueLane::queue).toList();
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
		if (lane.setPaused(paused)) {
			synchronized (this.pauseMonitor) {
				this.pauseMonitor.notifyAll();
			}
		}
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
		this.running = true;
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
		this.running = false;
		// An interrupt of the stopping thread does not cut short the wait for running
		// jobs or for the writing of their outcomes (the jobs would run again): each
		// wait ends by its deadline anyway, and the interrupt is kept for the caller.
		boolean interrupted = Thread.interrupted();
		interruptFetcher(deadlines.jobs());
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

	/**
	 * Wakes the fetcher from a blocking read or wait, once it is not inside a handler
	 * (one it invokes only starts its work, so the wait is short).
	 */
	private void interruptFetcher(long deadline) {
		boolean locked = false;
		try {
			locked = this.invoking.tryLock(StopDeadlines.millisUntil(deadline), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			this.fetcher.interrupt();
		}
		finally {
			if (locked) {
				this.invoking.unlock();
			}
		}
	}

	private void fetchLoop() {
		while (this.running) {
			fetchOnce();
		}
		this.reader.closeConnection();
	}

	/**
	 * One turn of the fetch loop. A method of its own so that the JIT compiles it as it
	 * does any hot method: a loop that never returns is only compiled by on-stack
	 * replacement, which comes late (see docs/design.md, Hot path).
	 */
	private void fetchOnce() {
		checkControlsIfDue();
		List<QueueLane> ready = readyLanes();
		if (ready.isEmpty()) {
			awaitReady();
			return;
		}
		this.unassigned = acquireSlots();
		try {
			reclaim(ready);
			int asked = this.unassigned;
			if (asked > 0) {
				for (PoolReader.LaneRecords read : this.reader.read(ready, asked)) {
					for (StringRecord record : read.records()) {
						dispatch(read.lane(), new Execution(record.getId().getValue(), System.currentTimeMillis()),
								record.getValue(), 1);
					}
				}
				this.backlog = this.unassigned == 0;
			}
		}
		catch (RuntimeException ex) {
			if (this.running) {
				logger.error("Unexpected failure fetching jobs of " + describe(), ex);
				FailureBackoff.pause(Duration.ofSeconds(1));
			}
		}
		finally {
			// Slots of dispatched jobs come back when they finish; the rest now.
			this.slots.release(this.unassigned);
			this.unassigned = 0;
		}
	}

	/** The queues that may be read now, in the pool's order. */
	private List<QueueLane> readyLanes() {
		long now = System.currentTimeMillis();
		if (this.lanes.size() == 1) {
			return this.lanes.get(0).isReady(now) ? this.lanes : List.of();
		}
		return this.lanes.stream().filter((lane) -> lane.isReady(now)).toList();
	}

	/** Takes over jobs dead consumers left pending, if a scan is due. */
	private void reclaim(List<QueueLane> ready) {
		for (QueueLane lane : ready) {
			if (this.unassigned == 0) {
				break;
			}
			for (PendingClaims.ClaimedEntry entry : lane.reclaimIfDue(this.unassigned)) {
				observeReclaimed(lane, entry);
				dispatch(lane, new Execution(entry.entryId(), System.currentTimeMillis(), entry.isSuspect()),
						entry.fields(), entry.deliveries());
			}
		}
	}

	/** A user's observer that throws must not cost the claimed job its run. */
	private void observeReclaimed(QueueLane lane, PendingClaims.ClaimedEntry entry) {
		try {
			this.observer.reclaimed(lane.queue(), entry.fields().getOrDefault("task", ""));
		}
		catch (RuntimeException ex) {
			logger.debug("Job observer failed", ex);
		}
	}

	/** Re-reads the queues' controls now and then, in case an announcement was missed. */
	private void checkControlsIfDue() {
		for (QueueLane lane : this.lanes) {
			if (lane.controlsCheckDue()) {
				setPaused(lane, lane.readControls());
			}
		}
	}

	/**
	 * Sleeps while no queue can be read: until one is resumed, or the earliest backoff
	 * after a failed read ends, or one block timeout.
	 */
	private void awaitReady() {
		long now = System.currentTimeMillis();
		long wait = TimeUnit.NANOSECONDS.toMillis(this.blockTimeoutNanos);
		for (QueueLane lane : this.lanes) {
			if (!lane.isPaused()) {
				wait = Math.min(wait, lane.retryAt() - now);
			}
		}
		if (wait <= 0) {
			return;
		}
		synchronized (this.pauseMonitor) {
			if (this.running && readyLanes().isEmpty()) {
				try {
					this.pauseMonitor.wait(wait);
				}
				catch (InterruptedException ex) {
					// Stopping: the loop condition ends it.
				}
			}
		}
	}

	/**
	 * Waits up to one block timeout for at least one free slot, then takes all free ones.
	 * While a backlog is being drained it waits up to {@link #GATHER_NANOS} for half the
	 * slots to be free, so one read fetches a batch rather than a job or two: the read
	 * round trip, not Redis, would otherwise cap throughput. Idle queues never wait, so
	 * latency is untouched.
	 * @return the slots taken, 0 if none became free (or on interruption)
	 */
	private int acquireSlots() {
		if (!this.slots.await(1, this.blockTimeoutNanos)) {
			// Timed out, or woken by stop(): its interrupt was for this wait.
			Thread.interrupted();
			return 0;
		}
		if (this.backlog && !this.slots.await(Math.max(1, this.concurrency / 2), GATHER_NANOS)) {
			Thread.interrupted();
		}
		// Stopping (the wait was interrupted): read nothing more.
		return this.running ? this.slots.takeAll() : 0;
	}

	/** Hands a job one of the unassigned slots and starts it. */
	private void dispatch(QueueLane lane, Execution execution, Map<String, String> fields, long deliveries) {
		this.unassigned--;
		String entryId = execution.entryId();
		lane.inFlight().put(entryId, execution);
		if (lane.startsWithoutBlocking(fields)) {
			runHere(lane, execution, fields, deliveries);
			return;
		}
		try {
			this.workers.execute(() -> run(lane, execution, fields, deliveries));
		}
		catch (RuntimeException ex) {
			lane.inFlight().remove(entryId);
			// Not started: its slot is the turn's to give back.
			this.unassigned++;
			throw ex;
		}
	}

	/**
	 * Invokes an asynchronous handler on the fetcher thread: it only starts the work, so
	 * a hand-off to a worker thread would cost more than the call.
	 */
	private void runHere(QueueLane lane, Execution execution, Map<String, String> fields, long deliveries) {
		this.invoking.lock();
		try {
			// An interrupt from stop() that came before the lock is for the fetch loop,
			// not for the handler: kept aside while it runs.
			boolean stopping = Thread.interrupted();
			try {
				run(lane, execution, fields, deliveries);
			}
			catch (RuntimeException | Error ex) {
				logger.error("Unexpected failure starting job entry " + execution.entryId() + " of queue '"
						+ lane.queue() + "'; it stays pending and will be reclaimed", ex);
			}
			if (stopping) {
				Thread.currentThread().interrupt();
			}
		}
		finally {
			this.invoking.unlock();
		}
	}

	/**
	 * Runs a job; its slot comes back when it is done, which for an asynchronous handler
	 * is later.
	 */
	private void run(QueueLane lane, Execution execution, Map<String, String> fields, long deliveries) {
		try {
			lane.run(execution, fields, deliveries).whenComplete((outcome, ex) -> this.slots.release(1));
		}
		catch (RuntimeException | Error ex) {
			this.slots.release(1);
			throw ex;
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
