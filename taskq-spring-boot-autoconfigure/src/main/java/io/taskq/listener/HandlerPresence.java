package io.taskq.listener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;

/**
 * Where a run's handler is while it runs, so that a cancellation or a timeout reaches it.
 * A run is inside its handler while a worker thread runs the handler method and, for an
 * asynchronous handler, until the stage it returned completes. Interrupting such a run
 * interrupts the thread, or cancels the stage.
 * <p>
 * Guarded by the monitor of its {@link Execution}, which the run also holds to settle a
 * hung handler: once the handler has left, the watchdog can no longer settle the run.
 */
final class HandlerPresence {

	private final Object monitor;

	private volatile boolean cancelRequested;

	private volatile boolean timedOut;

	private volatile @Nullable ScheduledFuture<?> watchdog;

	/** The worker thread while it is inside the handler; guarded by the monitor. */
	private @Nullable Thread handlerThread;

	/**
	 * The stage an asynchronous handler returned, until it completes; guarded by the
	 * monitor.
	 */
	private @Nullable CompletableFuture<?> pendingStage;

	/**
	 * @param monitor the run's monitor
	 */
	HandlerPresence(Object monitor) {
		this.monitor = monitor;
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
		synchronized (this.monitor) {
			this.cancelRequested = true;
			stage = interrupt();
		}
		cancel(stage);
	}

	/**
	 * Marks the run as over its timeout, only while it is inside its handler: a handler
	 * that returned just before the deadline succeeded.
	 */
	void timeOut() {
		CompletableFuture<?> stage = null;
		synchronized (this.monitor) {
			if (isInside()) {
				this.timedOut = true;
				stage = interrupt();
			}
		}
		cancel(stage);
	}

	void enter() {
		synchronized (this.monitor) {
			this.handlerThread = Thread.currentThread();
			if (this.cancelRequested) {
				// Requested between the pre-start check and now: the handler must still
				// see it.
				this.handlerThread.interrupt();
			}
		}
	}

	/**
	 * Leaves the handler, clearing an interrupt meant for it so it cannot reach the next
	 * job this pooled thread runs.
	 */
	void leave() {
		synchronized (this.monitor) {
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
	}

	/**
	 * Records that an asynchronous handler's method returned: the invoking thread is
	 * free, the run goes on until the stage completes (and {@link #leave()} is called). A
	 * cancellation or timeout that came while the method ran cancels the stage at once.
	 */
	void returned(CompletableFuture<?> stage) {
		boolean stopNow;
		synchronized (this.monitor) {
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
		synchronized (this.monitor) {
			stage = this.pendingStage;
		}
		cancel(stage);
	}

	boolean isInside() {
		synchronized (this.monitor) {
			return this.handlerThread != null || this.pendingStage != null;
		}
	}

	/**
	 * Interrupts the thread inside the handler, if any.
	 * @return the pending stage to cancel instead, outside the run's monitor
	 */
	private @Nullable CompletableFuture<?> interrupt() {
		synchronized (this.monitor) {
			if (this.handlerThread != null) {
				this.handlerThread.interrupt();
				return null;
			}
			return this.pendingStage;
		}
	}

	/**
	 * Completes the stage with a CancellationException. Not under the run's monitor: the
	 * stage's callbacks, which settle the run, run here. Work the handler started stops
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

}
