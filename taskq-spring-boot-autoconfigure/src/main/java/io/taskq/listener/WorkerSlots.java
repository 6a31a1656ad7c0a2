package io.taskq.listener;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * The free worker slots of a container, taken by its fetcher and given back as jobs
 * finish (by a worker thread, or by whichever thread completes an asynchronous job's
 * stage). Unlike a semaphore, a finishing job wakes the fetcher only once as many slots
 * are free as the fetcher waits for: while a backlog drains, that is half the slots, so
 * one wake-up (a system call and a context switch) serves a whole batch rather than every
 * job.
 * <p>
 * One thread at a time waits and takes (the fetcher; once it has ended, the thread
 * stopping the container); any thread releases.
 */
final class WorkerSlots {

	private final AtomicInteger free;

	/** How many free slots the waiting fetcher needs to be woken. */
	private volatile int wanted = Integer.MAX_VALUE;

	private volatile @Nullable Thread waiter;

	WorkerSlots(int slots) {
		this.free = new AtomicInteger(slots);
	}

	void release(int slots) {
		if (slots <= 0) {
			return;
		}
		int now = this.free.addAndGet(slots);
		Thread waiter = this.waiter;
		// Both sides write, then read the other's volatile: either this sees the waiter
		// or the waiter sees the new count.
		if (waiter != null && now >= this.wanted) {
			LockSupport.unpark(waiter);
		}
	}

	/**
	 * Waits until at least {@code count} slots are free, the timeout passes, or the
	 * thread is interrupted. The interrupt status stays set: the fetcher takes it as the
	 * end of its wait, the stopping thread keeps it for its caller.
	 * @return whether that many are free
	 */
	boolean await(int count, long timeoutNanos) {
		long deadline = System.nanoTime() + timeoutNanos;
		Thread current = Thread.currentThread();
		try {
			while (this.free.get() < count) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0 || current.isInterrupted()) {
					return false;
				}
				this.wanted = count;
				this.waiter = current;
				if (this.free.get() >= count) {
					return true;
				}
				LockSupport.parkNanos(this, remaining);
			}
			return true;
		}
		finally {
			this.waiter = null;
			this.wanted = Integer.MAX_VALUE;
		}
	}

	/** Takes every free slot. */
	int takeAll() {
		return this.free.getAndSet(0);
	}

}
