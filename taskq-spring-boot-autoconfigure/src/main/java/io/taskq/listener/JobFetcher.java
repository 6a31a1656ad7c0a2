package io.taskq.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.taskq.retry.OutageBackoff;
import io.taskq.support.JobObserver;
import io.taskq.support.redis.JobFields;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.stream.StringRecord;

/**
 * The fetch loop of a {@link JobListenerContainer}, on a thread of its own: it takes free
 * worker slots first, takes over jobs of dead consumers ({@link PendingClaims}), reads no
 * more jobs than it holds slots for ({@link PoolReader}), and hands each job to the
 * {@link JobDispatcher}, which starts it on a worker or, for a handler returning a
 * {@code CompletionStage}, on this thread.
 * <p>
 * No job waits in memory where a crash would strand it, and in a pool of several queues a
 * flood in one cannot hold back a queue of higher priority by more than the jobs already
 * running.
 */
final class JobFetcher implements Runnable {

	private static final Log logger = LogFactory.getLog(JobFetcher.class);

	/** Longest the fetcher waits for slots to free up while draining a backlog. */
	private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private final String description;

	private final List<QueueLane> lanes;

	private final PoolReader reader;

	private final JobObserver observer;

	private final WorkerSlots slots;

	private final JobDispatcher dispatcher;

	private final int concurrency;

	/**
	 * {@link ListenerOptions#blockTimeout()}, worked out once: the fetcher waits that
	 * long on every turn, and the division behind it goes through {@code BigDecimal}.
	 */
	private final long blockTimeoutNanos;

	private final Object pauseMonitor = new Object();

	private volatile boolean running = true;

	/** Whether the last read filled every slot it asked for: more jobs are waiting. */
	private boolean backlog;

	/**
	 * Slots the fetcher took and has not yet handed to a job. Only the fetcher touches
	 * it; each dispatch takes one, and the end of a turn gives back the rest, so the
	 * count stays exact whatever throws in between.
	 */
	private int unassigned;

	/**
	 * @param description the pool, as log lines name it
	 */
	JobFetcher(String description, List<QueueLane> lanes, PoolReader reader, JobObserver observer, WorkerSlots slots,
			ThreadPoolExecutor workers, int concurrency, ListenerOptions options) {
		this.description = description;
		this.lanes = lanes;
		this.reader = reader;
		this.observer = observer;
		this.slots = slots;
		this.dispatcher = new JobDispatcher(slots, workers);
		this.concurrency = concurrency;
		this.blockTimeoutNanos = options.blockTimeout().toNanos();
	}

	/** Ends the loop after its current turn; see {@link #interrupt}. */
	void stopFetching() {
		this.running = false;
	}

	/**
	 * Wakes the fetcher from a blocking read or wait, once it is not inside a handler
	 * (see {@link JobDispatcher#interrupt}).
	 */
	void interrupt(Thread fetcher, long deadline) {
		this.dispatcher.interrupt(fetcher, deadline);
	}

	/** Sets a lane's pause flag, waking the fetcher if it sleeps because of it. */
	void setPaused(QueueLane lane, boolean paused) {
		if (lane.setPaused(paused)) {
			synchronized (this.pauseMonitor) {
				this.pauseMonitor.notifyAll();
			}
		}
	}

	@Override
	public void run() {
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
				logger.error("Unexpected failure fetching jobs of " + this.description, ex);
				OutageBackoff.pause(Duration.ofSeconds(1));
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
			this.observer.reclaimed(lane.queue(), entry.fields().getOrDefault(JobFields.TASK, ""));
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
		try {
			this.dispatcher.dispatch(lane, execution, fields, deliveries);
		}
		catch (RuntimeException ex) {
			// Not started: its slot is the turn's to give back.
			this.unassigned++;
			throw ex;
		}
	}

}
