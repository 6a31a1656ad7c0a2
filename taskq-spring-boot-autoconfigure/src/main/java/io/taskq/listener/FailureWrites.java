package io.taskq.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.taskq.retry.FailedJobWriter;
import io.taskq.retry.OutageBackoff;
import io.taskq.support.redis.QueueKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

/**
 * Writes the failures of a batch of outcomes for the {@link OutcomeWriter}: retries, dead
 * letters and deferrals, one script call each (failures are the slow path), then the
 * state of those that are tracked.
 * <p>
 * A failure Redis refuses (at maxmemory, say) is set aside and tried again after growing
 * pauses, while later acknowledgements go ahead: they are what frees the memory, so they
 * must not queue behind it. A failed job is let go only once its failure is written:
 * until then it is held, and its claim kept, so that no other instance runs it while its
 * retry waits to be written (issue 16, point 3).
 * <p>
 * Not thread-safe: the writer's thread alone uses it.
 */
final class FailureWrites {

	private static final Log logger = LogFactory.getLog(FailureWrites.class);

	private final String queue;

	private final FailureWrite write;

	/** Failures that Redis refused, to be written again. */
	private final List<Outcome> deferred = new ArrayList<>();

	private long nextDeferredAttempt;

	/** Turns in a row in which Redis refused a failure. */
	private int deferredFailures;

	FailureWrites(QueueKeys keys, FailedJobWriter failedJobs, TrackingWrites tracking) {
		this(keys.queue(), new RedisFailureWrite(keys, failedJobs, tracking));
	}

	FailureWrites(String queue, FailureWrite write) {
		this.queue = queue;
		this.write = write;
	}

	/** Whether an outcome is written here rather than acknowledged. */
	static boolean isFailure(Outcome outcome) {
		return outcome instanceof Outcome.Retry || outcome instanceof Outcome.Dead
				|| outcome instanceof Outcome.Deferred;
	}

	/**
	 * Writes the failures set aside earlier, if their pause is over, then the batch's,
	 * telling {@code written} of each once it is written.
	 */
	void write(List<Outcome> batch, Consumer<String> written) {
		long now = System.currentTimeMillis();
		int refused = 0;
		if (!this.deferred.isEmpty() && now >= this.nextDeferredAttempt) {
			List<Outcome> due = new ArrayList<>(this.deferred);
			this.deferred.clear();
			for (Outcome failure : due) {
				if (!tryWrite(failure, written, refused)) {
					refused++;
				}
			}
		}
		for (Outcome outcome : batch) {
			if (isFailure(outcome) && !tryWrite(outcome, written, refused)) {
				refused++;
			}
		}
		if (refused > 0) {
			this.deferredFailures++;
			this.nextDeferredAttempt = now + OutageBackoff.pauseAfter(this.deferredFailures).toMillis();
		}
		else if (this.deferredFailures > 0 && this.deferred.isEmpty()) {
			logger.info("Recording retries and dead letters of queue '" + this.queue + "' recovered");
			this.deferredFailures = 0;
		}
	}

	/** Whether failures Redis refused wait to be written again. */
	boolean hasDeferred() {
		return !this.deferred.isEmpty();
	}

	/**
	 * Milliseconds until the failures set aside are tried again, 0 or less once they are
	 * due.
	 */
	long millisUntilDeferredDue(long nowMillis) {
		return this.nextDeferredAttempt - nowMillis;
	}

	/**
	 * @param refusedBefore how many failures Redis refused earlier in this turn
	 * @return whether the failure was written; if not, it is set aside
	 */
	private boolean tryWrite(Outcome failure, Consumer<String> written, int refusedBefore) {
		try {
			this.write.write(failure);
		}
		catch (DataAccessException ex) {
			if (this.deferredFailures == 0 && refusedBefore == 0) {
				logger.warn("Redis refused to record a retry or dead letter of queue '" + this.queue
						+ "'; the job stays pending and the write is tried again: " + OutageBackoff.describe(ex));
			}
			this.deferred.add(failure);
			return false;
		}
		catch (RuntimeException ex) {
			// Not Redis: writing again cannot help. Given up on, as the writer gives up
			// a batch: the entry stays pending in Redis and is reclaimed once let go.
			// Caught here, so failures set aside with it are still written.
			logger.error("Could not record a retry or dead letter of queue '" + this.queue
					+ "'; the job will be reclaimed and run again", ex);
		}
		written.accept(failure.entryId());
		return true;
	}

	/** Writes one failure: a retry, a dead letter or a deferral. */
	@FunctionalInterface
	interface FailureWrite {

		/**
		 * @throws DataAccessException if Redis refused it, or did not answer
		 */
		void write(Outcome failure);

	}

	/** Writes failures with the failed-job scripts, then the state of tracked ones. */
	private record RedisFailureWrite(QueueKeys keys, FailedJobWriter failedJobs,
			TrackingWrites tracking) implements FailureWrite {

		@Override
		public void write(Outcome failure) {
			if (failure instanceof Outcome.Retry retry) {
				boolean written = this.failedJobs.scheduleRetry(this.keys, retry.entryId(), retry.retried(),
						retry.dueAt());
				if (written && retry.tracking() != null) {
					settleQuietly(() -> this.tracking.retrying(retry.tracking(), retry.error(), retry.dueAt()));
				}
			}
			else if (failure instanceof Outcome.Dead dead) {
				boolean written = this.failedJobs.deadLetter(this.keys, dead.entryId(), dead.job(), dead.reason(),
						dead.error(), dead.attempts());
				if (written && dead.tracking() != null) {
					settleQuietly(() -> this.tracking.dead(dead.tracking(), dead.reason()));
				}
			}
			else if (failure instanceof Outcome.Deferred deferred) {
				this.failedJobs.scheduleRetry(this.keys, deferred.entryId(), deferred.job(), deferred.dueAt());
			}
		}

		/**
		 * Records a failed job's state once the failure itself is written. Not retried:
		 * the failure must not be written twice, and a lock or lease left behind expires.
		 */
		private void settleQuietly(Runnable write) {
			try {
				write.run();
			}
			catch (DataAccessException ex) {
				logger.warn("Could not record the state of a failed job of queue '" + this.keys.queue()
						+ "'; its uniqueness lock and concurrency lease expire by themselves: "
						+ OutageBackoff.describe(ex));
			}
		}

	}

}
