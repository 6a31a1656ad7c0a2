package io.taskq.listener;

import java.util.concurrent.locks.LockSupport;

/**
 * The time by which the {@link OutcomeWriter} gathers outcomes: the system's, or in tests
 * one that moves only as the writer parks, so that a gathering's steps can be counted.
 */
interface GatherClock {

	GatherClock SYSTEM = new GatherClock() {

		@Override
		public long nanoTime() {
			return System.nanoTime();
		}

		@Override
		public void park(long nanos) {
			LockSupport.parkNanos(nanos);
		}

	};

	long nanoTime();

	void park(long nanos);

}
