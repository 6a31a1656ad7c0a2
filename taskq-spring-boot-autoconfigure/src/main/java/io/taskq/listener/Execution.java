package io.taskq.listener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * One delivery of a job running here: what cancellation, the timeout watchdog and claim
 * refreshes need to reach it. Its outcome is settled exactly once: by the thread that ran
 * its handler or completed its stage, or by the watchdog when the handler overstays its
 * timeout.
 * <p>
 * A run is inside its handler while a worker thread runs the handler method and, for an
 * asynchronous handler, until the stage it returned completes. Interrupting such a run
 * interrupts the thread, or cancels the stage.
 */
final class Execution {

	private final String entryId;

	private final long startedAt;

	private final AtomicBoolean settled = new AtomicBoolean();

	/** When this instance last renewed the entry's claim (epoch millis). */
	private volatile long claimedAt;

	/** Whether another consumer took the entry over: its claim is no longer renewed. */
	private volatile boolean claimLost;

	/** Whether the job was reclaimed after two or more deliveries that never finished. */
	private final boolean suspect;

	/** Whether the run is over: the handler returned or the job never reached it. */
	private boolean ended;

	/** Whether the outcome settled for this run is written to Redis. */
	private boolean written;

	private volatile @Nullable String jobId;

	private volatile @Nullable String leaseKey;

	private volatile boolean cancelRequested;

	private volatile boolean timedOut;

	private volatile @Nullable ScheduledFuture<?> watchdog;

	/** The failure the watchdog recorded for a handler that overstayed its timeout. */
	private volatile @Nullable Outcome watchdogOutcome;

	/** The worker thread while it is inside the handler; guarded by {@code this}. */
	private @Nullable Thread handlerThread;

	/**
	 * The stage an asynchronous handler returned, until it completes; guarded by
	 * {@code this}.
	 */
	private @Nullable CompletableFuture<?> pendingStage;

	Execution(String entryId, long startedAt) {
		this(entryId, startedAt, false);
	}

	/**
	 * @param suspect whether the job was reclaimed after two or more deliveries that
	 * never finished: it runs apart from other such jobs
	 */
	Execution(String entryId, long startedAt, boolean suspect) {
		this.entryId = entryId;
		this.startedAt = startedAt;
		this.claimedAt = startedAt;
		this.suspect = suspect;
	}

	boolean isSuspect() {
		return this.suspect;
	}

	/** Whether this is a suspect and its run is not over. */
	synchronized boolean isSuspectRunning() {
		return this.suspect && !this.ended;
	}

	String entryId() {
		return this.entryId;
	}

	long startedAt() {
		return this.startedAt;
	}

	@Nullable String jobId() {
		return this.jobId;
	}

	void jobId(String jobId) {
		this.jobId = jobId;
	}

	/** The lease key this run holds a slot of, if its job has a concurrency key. */
	@Nullable String leaseKey() {
		return this.leaseKey;
	}

	void leaseKey(String leaseKey) {
		this.leaseKey = leaseKey;
	}

	boolean isCancelRequested() {
		return this.cancelRequested;
	}

	boolean isTimedOut() {
		return this.timedOut;
	}

	void watchdog(ScheduledFuture<?> watchdog) {
		this.watchdog = watchdog;
	}

	/** Asks the handler to stop: the flag it can poll, and an interrupt. */
	void requestCancel() {
		CompletableFuture<?> stage;
		synchronized (this) {
			this.cancelRequested = true;
			stage = interruptHandler();
		}
		cancel(stage);
	}

	/**
	 * Marks the run as over its timeout, only while it is inside its handler: a handler
	 * that returned just before the deadline succeeded.
	 */
	void timeOut() {
		CompletableFuture<?> stage = null;
		synchronized (this) {
			if (isInHandler()) {
				this.timedOut = true;
				stage = interruptHandler();
			}
		}
		cancel(stage);
	}

	synchronized void enterHandler() {
		this.handlerThread = Thread.currentThread();
		if (this.cancelRequested) {
			// Requested between the pre-start check and now: the handler must still see
			// it.
			this.handlerThread.interrupt();
		}
	}

	/**
	 * Leaves the handler, clearing an interrupt meant for it so it cannot reach the next
	 * job this pooled thread runs.
	 */
	synchronized void leaveHandler() {
		if (this.handlerThread == Thread.currentThread()) {
			Thread.interrupted();
		}
		this.handlerThread = null;
		this.pendingStage = null;
		ScheduledFuture<?> watchdog = this.watchdog;
		if (watchdog != null) {
			watchdog.cancel(false);
		}
	}

	/**
	 * Records that an asynchronous handler's method returned: the invoking thread is
	 * free, the run goes on until the stage completes (and {@link #leaveHandler()} is
	 * called). A cancellation or timeout that came while the method ran cancels the stage
	 * at once.
	 */
	void handlerReturned(CompletableFuture<?> stage) {
		boolean stopNow;
		synchronized (this) {
			Thread.interrupted();
			this.handlerThread = null;
			this.pendingStage = stage;
			stopNow = this.cancelRequested || this.timedOut;
		}
		cancel(stopNow ? stage : null);
	}

	/**
	 * Cancels the stage of an asynchronous handler still pending when the container gives
	 * up on its running jobs at shutdown.
	 */
	void abandonStage() {
		CompletableFuture<?> stage;
		synchronized (this) {
			stage = this.pendingStage;
		}
		cancel(stage);
	}

	synchronized boolean isInHandler() {
		return this.handlerThread != null || this.pendingStage != null;
	}

	/**
	 * Interrupts the thread inside the handler, if any.
	 * @return the pending stage to cancel instead, outside this run's monitor
	 */
	private synchronized @Nullable CompletableFuture<?> interruptHandler() {
		if (this.handlerThread != null) {
			this.handlerThread.interrupt();
			return null;
		}
		return this.pendingStage;
	}

	/**
	 * Completes the stage with a CancellationException. Not under this run's monitor: the
	 * stage's callbacks, which settle this run, run here. Work the handler started stops
	 * only if it watches the stage or the job's cancellation flag.
	 */
	private static void cancel(@Nullable CompletableFuture<?> stage) {
		if (stage != null) {
			try {
				stage.cancel(true);
			}
			catch (UnsupportedOperationException ex) {
				// A subclass that refuses: the run goes on until its stage completes.
			}
		}
	}

	/**
	 * Settles a run whose handler still hangs, with the outcome the supplier computes.
	 * Under this run's monitor, as {@link #leaveHandler()} is: once the handler has left,
	 * either this outcome is published or the watchdog can no longer settle.
	 * @return the outcome to write, or {@code null} if the handler has left or the run is
	 * already settled
	 */
	synchronized @Nullable Outcome settleHung(Supplier<Outcome> outcome) {
		if (!isInHandler() || !settle()) {
			return null;
		}
		Outcome settled = outcome.get();
		this.watchdogOutcome = settled;
		return settled;
	}

	/**
	 * The failure the watchdog already recorded (logged, counted and written), if it
	 * settled this run while the handler hung.
	 */
	@Nullable Outcome watchdogOutcome() {
		return this.watchdogOutcome;
	}

	/**
	 * @return whether the caller is the one to write the outcome
	 */
	boolean settle() {
		return this.settled.compareAndSet(false, true);
	}

	boolean isSettled() {
		return this.settled.get();
	}

	long claimedAt() {
		return this.claimedAt;
	}

	void claimRenewed(long at) {
		this.claimedAt = at;
	}

	boolean isClaimLost() {
		return this.claimLost;
	}

	void claimLost() {
		this.claimLost = true;
	}

	/**
	 * Whether the entry's claim is still to be kept: its outcome is not written yet, and
	 * no other consumer took it over.
	 */
	synchronized boolean needsClaim() {
		return !this.written && !this.claimLost;
	}

	/**
	 * Records that the run is over.
	 * @return whether the job can be let go: no outcome of it waits to be written
	 */
	synchronized boolean runEnded() {
		this.ended = true;
		return !this.settled.get() || this.written;
	}

	/** Whether an outcome was settled and is still to be written. */
	synchronized boolean isOutcomeUnwritten() {
		return this.settled.get() && !this.written;
	}

	/**
	 * Records that the settled outcome is written.
	 * @return whether the job can be let go: its run is over too (a handler that
	 * overstayed its timeout may still be running, holding its concurrency lease)
	 */
	synchronized boolean outcomeWritten() {
		this.written = true;
		return this.ended;
	}

}
