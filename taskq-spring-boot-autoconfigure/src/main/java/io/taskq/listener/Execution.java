package io.taskq.listener;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * One delivery of a job running here: what cancellation, the timeout watchdog and claim
 * refreshes need to reach it. Its outcome is settled exactly once: by the thread that ran
 * its handler or completed its stage, or by the watchdog when the handler overstays its
 * timeout. Where its handler is, for cancellation and the timeout, is its
 * {@link HandlerPresence}.
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

	/** The failure the watchdog recorded for a handler that overstayed its timeout. */
	private volatile @Nullable Outcome watchdogOutcome;

	private final HandlerPresence handler = new HandlerPresence(this);

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

	/** Where the handler is while it runs; it shares this run's monitor. */
	HandlerPresence handler() {
		return this.handler;
	}

	/**
	 * Settles a run whose handler still hangs, with the outcome the supplier computes.
	 * Under this run's monitor, as {@link HandlerPresence#leave()} is: once the handler
	 * has left, either this outcome is published or the watchdog can no longer settle.
	 * @return the outcome to write, or {@code null} if the handler has left or the run is
	 * already settled
	 */
	synchronized @Nullable Outcome settleHung(Supplier<Outcome> outcome) {
		if (!this.handler.isInside() || !settle()) {
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
