package io.taskq.listener;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * When each step of stopping must be over, on the {@link System#nanoTime()} clock.
 * Running jobs get the shutdown timeout; writing the outcomes of those that finished and
 * leaving the consumer groups share {@link ListenerContainerRegistry#SHUTDOWN_MARGIN}
 * after it. Every step ends by its deadline whatever Redis does (a call to a frozen
 * server would otherwise wait for the client's command timeout), so the whole stop is
 * over by the shutdown timeout plus the margin.
 *
 * @param jobs until when running jobs may finish
 * @param outcomes until when the outcomes of finished jobs may be written
 * @param groups until when a consumer may leave its groups, a courtesy only
 * @param end when the stop is over at the latest
 */
record StopDeadlines(long jobs, long outcomes, long groups, long end) {

	/** The margin's share for writing outcomes; the rest goes to the last two steps. */
	private static final Duration OUTCOMES = Duration.ofSeconds(3);

	/**
	 * Kept between the last Redis call and the end, so that a stop that gave up on Redis
	 * still calls back before the end rather than at it.
	 */
	private static final Duration RESERVE = Duration.ofSeconds(1);

	/**
	 * Leaving the groups is not started with less time left than this: it only tidies the
	 * group's list of consumers, and a consumer left there holds no job.
	 */
	static final Duration MIN_GROUP_LEAVING = Duration.ofMillis(200);

	static StopDeadlines startingNow(Duration shutdownTimeout) {
		long jobs = System.nanoTime() + shutdownTimeout.toNanos();
		long end = jobs + ListenerContainerRegistry.SHUTDOWN_MARGIN.toNanos();
		return new StopDeadlines(jobs, jobs + OUTCOMES.toNanos(), end - RESERVE.toNanos(), end);
	}

	/** Milliseconds until a deadline, 0 once it has passed. */
	static long millisUntil(long deadline) {
		return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
	}

	/**
	 * Waits for a thread to end, up to a deadline; an interrupt is kept for the caller.
	 */
	static boolean join(Thread thread, long deadline) {
		boolean interrupted = false;
		try {
			while (thread.isAlive()) {
				long millis = millisUntil(deadline);
				if (millis == 0) {
					return false;
				}
				try {
					thread.join(millis);
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			return true;
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
