package io.taskq.listener;

import java.util.ArrayList;
import java.util.List;

import io.taskq.retry.OutageBackoff;
import io.taskq.support.redis.QueueKeys;
import io.taskq.support.redis.StreamScripts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Acknowledges the jobs of a batch of outcomes that ended without failing, for the
 * {@link OutcomeWriter}. Redis calls per batch: one {@code ack.lua} call for every plain
 * success and cancel together (which also deletes the entries left earlier that are due;
 * none if there is neither), and one {@code settle.lua} call per tracked start or end.
 * <p>
 * Tracked ends are written here rather than with failures because they are
 * acknowledgements too ({@code settle.lua} acknowledges in the same call), and one that
 * Redis rejects falls back to a plain acknowledgement, which must go through the same
 * {@link LeftBehind} bookkeeping. A tracked start is written here because it must be
 * written before the same job's end, in batch order.
 * <p>
 * Every write here is idempotent, so a batch Redis did not answer is written again in
 * full. Not thread-safe: the writer's thread alone uses it.
 */
final class AckWrites {

	private static final Log logger = LogFactory.getLog(AckWrites.class);

	/**
	 * Ids per {@code ack.lua} call, bounded so the script's arguments stay far below
	 * Lua's stack limit.
	 */
	static final int MAX_IDS = 1000;

	private final String queue;

	private final AckScript script;

	private final TrackedWrite tracked;

	/** Finished entries an ack left for a later trim, deleted if still there soon. */
	private final LeftBehind leftBehind = new LeftBehind();

	AckWrites(QueueKeys keys, StringRedisTemplate redis, TrackingWrites tracking) {
		this(keys.queue(), ackScript(keys, redis), trackedWrite(tracking));
	}

	AckWrites(String queue, AckScript script, TrackedWrite tracked) {
		this.queue = queue;
		this.script = script;
		this.tracked = tracked;
	}

	/**
	 * Acknowledges the batch's plain successes and cancels in one call, then writes its
	 * tracked starts and ends in order.
	 * @param stopping whether the writer is stopping: every entry left is deleted now,
	 * not only those that are due
	 * @throws org.springframework.dao.DataAccessException if Redis did not answer
	 */
	void write(List<Outcome> batch, boolean stopping) {
		List<String> acks = new ArrayList<>(batch.size());
		for (Outcome outcome : batch) {
			if (outcome instanceof Outcome.Done done && done.tracking() == null
					|| outcome instanceof Outcome.Cancelled cancelled && cancelled.tracking() == null) {
				acks.add(outcome.entryId());
			}
		}
		acknowledge(acks, stopping);
		writeTracked(batch, stopping);
	}

	/** Whether entries an ack left are still to be deleted. */
	boolean hasLeftBehind() {
		return !this.leftBehind.isEmpty();
	}

	/**
	 * Nanoseconds until the first entry left is due for deletion, {@link Long#MAX_VALUE}
	 * if none is left.
	 */
	long nanosUntilLeftDue(long now) {
		return this.leftBehind.nanosUntilDue(now);
	}

	private void acknowledge(List<String> acks, boolean stopping) {
		long now = System.nanoTime();
		List<String> deletes = stopping ? this.leftBehind.all(MAX_IDS) : this.leftBehind.due(now, MAX_IDS);
		if (acks.isEmpty() && deletes.isEmpty()) {
			return;
		}
		String oldestPending = this.script.run(acks, deletes);
		this.leftBehind.deleted(deletes.size());
		if (!acks.isEmpty()) {
			this.leftBehind.acknowledged(acks, oldestPending, now);
		}
	}

	private void writeTracked(List<Outcome> batch, boolean stopping) {
		@Nullable List<String> fallbackAcks = null;
		for (Outcome outcome : batch) {
			if (!isTracked(outcome)) {
				continue;
			}
			try {
				this.tracked.write(outcome);
			}
			catch (RedisSystemException ex) {
				// Redis answered with an error for this write alone (a key of another
				// type, say): retrying cannot help, and it must not hold up the queue's
				// other outcomes. The job itself is still acknowledged.
				logger.error("Could not record the state of a job of queue '" + this.queue
						+ "'; it is acknowledged without it: " + OutageBackoff.describe(ex));
				if (!(outcome instanceof Outcome.Started)) {
					if (fallbackAcks == null) {
						fallbackAcks = new ArrayList<>();
					}
					fallbackAcks.add(outcome.entryId());
				}
			}
		}
		if (fallbackAcks != null) {
			acknowledge(fallbackAcks, stopping);
		}
	}

	private static boolean isTracked(Outcome outcome) {
		return outcome instanceof Outcome.Started || outcome instanceof Outcome.Done done && done.tracking() != null
				|| outcome instanceof Outcome.Cancelled cancelled && cancelled.tracking() != null;
	}

	private static AckScript ackScript(QueueKeys keys, StringRedisTemplate redis) {
		StreamScripts scripts = new StreamScripts(redis);
		return (acks, deletes) -> scripts.ack(keys, acks, deletes);
	}

	private static TrackedWrite trackedWrite(TrackingWrites tracking) {
		return (outcome) -> {
			if (outcome instanceof Outcome.Started started) {
				tracking.started(started.tracking());
			}
			else if (outcome instanceof Outcome.Done done && done.tracking() != null) {
				tracking.succeeded(done.entryId(), done.tracking(), done.result());
			}
			else if (outcome instanceof Outcome.Cancelled cancelled && cancelled.tracking() != null) {
				tracking.cancelled(cancelled.entryId(), cancelled.tracking());
			}
		};
	}

	/** Acknowledges entries and deletes others, in one atomic call. */
	@FunctionalInterface
	interface AckScript {

		/**
		 * @param acks the entries of finished jobs, to acknowledge
		 * @param deletes entries acknowledged earlier and left for a trim, to delete now
		 * @return the oldest entry still pending afterwards, {@code ""} if none, or
		 * {@code "-"} if {@code acks} acknowledged nothing (see {@link LeftBehind})
		 */
		@Nullable String run(List<String> acks, List<String> deletes);

	}

	/**
	 * Writes a tracked job's start, or its end together with the acknowledgement of its
	 * entry, in one atomic call.
	 */
	@FunctionalInterface
	interface TrackedWrite {

		/**
		 * @throws RedisSystemException if Redis rejected this write alone
		 */
		void write(Outcome outcome);

	}

}
