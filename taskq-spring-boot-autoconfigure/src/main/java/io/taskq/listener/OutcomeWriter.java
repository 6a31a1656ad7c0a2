package io.taskq.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.taskq.retry.FailedJobWriter;
import io.taskq.support.QueueKeys;
import io.taskq.support.TaskqScript;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Writes outcomes back to Redis on one thread, so workers never wait for Redis. Finished
 * jobs are acknowledged and deleted in batches: under load, everything that finished
 * while the previous batch was in flight goes in the next single script call.
 * <p>
 * If Redis is unreachable the outcomes stay queued here and are retried with backoff; the
 * entries stay pending in Redis meanwhile, so a crash now re-runs those jobs rather than
 * losing them. The queue holds at most one outcome per worker slot and fetched job.
 */
final class OutcomeWriter {

	private static final Log logger = LogFactory.getLog(OutcomeWriter.class);

	private static final RedisScript<String> ACK = TaskqScript.load(OutcomeWriter.class, "ack.lua", String.class);

	/** Bounded so one script's arguments stay far below Lua's stack limit. */
	private static final int MAX_BATCH = 1000;

	/**
	 * How long the writer lets outcomes gather at a time while jobs finish in bursts:
	 * without it, a batch holds only what finished during the previous call's round trip,
	 * and the calls per job grow as each instance's share of the work shrinks.
	 */
	private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	/**
	 * The batch the writer gathers towards, for at most {@link #GATHER_LIMIT_NANOS}: the
	 * cost of a call is mostly per call, so an instance with a small share of the jobs
	 * must gather longer than one step to write as few calls per job as a busy one (see
	 * docs/design.md, Hot path).
	 */
	private static final int GATHER_TARGET = 128;

	/** Longest an outcome waits for others to join its batch. */
	private static final long GATHER_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	/** Outcomes a step of {@link #GATHER_NANOS} must add for the gathering to go on. */
	private static final int GATHER_MIN_STEP = 2;

	private final QueueKeys keys;

	private final StringRedisTemplate redis;

	private final FailedJobWriter failedJobs;

	private final TrackingWrites tracking;

	private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

	/** Told of each entry whose outcome is written, or given up on. */
	private final Consumer<String> written;

	private final FailureBackoff backoff;

	/** Finished entries an ack left for a later trim, deleted if still there soon. */
	private final LeftBehind leftBehind = new LeftBehind();

	/** Retries and dead letters that Redis refused, to be written again. */
	private final List<Outcome> deferred = new ArrayList<>();

	private long nextDeferredAttempt;

	/** Outcomes in the last batch taken; one means jobs finish one at a time. */
	private int lastBatchSize;

	private int deferredFailures;

	private final Thread thread;

	private volatile boolean running = true;

	/**
	 * @param written told of each entry whose outcome is written (or given up on, the job
	 * then stays pending for a reclaim), on the writer's thread
	 */
	OutcomeWriter(QueueKeys keys, StringRedisTemplate redis, FailedJobWriter failedJobs, TrackingWrites tracking,
			Consumer<String> written) {
		this.keys = keys;
		this.written = written;
		this.redis = redis;
		this.failedJobs = failedJobs;
		this.tracking = tracking;
		this.backoff = new FailureBackoff(logger, "Writing job outcomes of queue '" + keys.queue() + "'");
		this.thread = new Thread(this::run, "taskq-" + keys.queue() + "-ack");
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	void submit(Outcome outcome) {
		this.outcomes.add(outcome);
	}

	/** Writes what is queued, then stops; see {@link #awaitStopped}. */
	void finish() {
		this.running = false;
	}

	/**
	 * Waits for the writer to write what is queued, and interrupts it at the deadline if
	 * Redis does not answer: the jobs whose outcomes it gives up on stay pending and are
	 * reclaimed later.
	 * @return whether the writer stopped on its own by the deadline
	 */
	boolean awaitStopped(long deadline) {
		finish();
		if (StopDeadlines.join(this.thread, deadline)) {
			return true;
		}
		this.thread.interrupt();
		return false;
	}

	private void run() {
		List<Outcome> batch = new ArrayList<>();
		while (this.running || !this.outcomes.isEmpty() || !batch.isEmpty() || !this.deferred.isEmpty()
				|| !this.leftBehind.isEmpty()) {
			if (!writeOnce(batch)) {
				return;
			}
		}
	}

	/**
	 * One turn of the writer's loop, a method of its own so that the JIT compiles it as
	 * it does any hot method rather than only by on-stack replacement of a loop that
	 * never returns (see {@code JobListenerContainer#fetchOnce}).
	 * @param batch the outcomes being written, kept across turns while Redis refuses them
	 * @return whether to go on
	 */
	private boolean writeOnce(List<Outcome> batch) {
		try {
			if (batch.isEmpty()) {
				Outcome first = this.outcomes.poll(pollMillis(), TimeUnit.MILLISECONDS);
				if (first != null) {
					if (this.lastBatchSize > 1 && this.running) {
						gather();
					}
					batch.add(first);
					this.outcomes.drainTo(batch, MAX_BATCH - 1);
					this.lastBatchSize = batch.size();
				}
				else if (!this.running && this.leftBehind.isEmpty()) {
					// Stopping with only refused writes left: they stay pending,
					// reclaimed later.
					return false;
				}
				else if (this.running && this.deferred.isEmpty()
						&& this.leftBehind.nanosUntilDue(System.nanoTime()) > 0) {
					// Nothing to write yet. When stopping, left entries go at once.
					return true;
				}
			}
			writeAcks(batch);
			writeTracked(batch);
			writeFailures(batch);
			done(batch, false);
			this.backoff.succeeded();
		}
		catch (InterruptedException ex) {
			return false;
		}
		catch (DataAccessException ex) {
			if (!this.running && Thread.currentThread().isInterrupted()) {
				// Given up on at shutdown, which reports what was not written.
				return false;
			}
			FailureBackoff.pause(this.backoff.failed(ex));
			if (Thread.currentThread().isInterrupted()) {
				return false;
			}
		}
		catch (RuntimeException ex) {
			// Not Redis: retrying cannot help. The jobs stay pending and are
			// reclaimed.
			logger.error("Could not write " + batch.size() + " job outcomes of queue '" + this.keys.queue()
					+ "'; those jobs will be reclaimed and run again", ex);
			done(batch, true);
		}
		return true;
	}

	/**
	 * Jobs are finishing in bursts: lets more of them finish, so that one call
	 * acknowledges them together, until the batch reaches {@link #GATHER_TARGET}, or the
	 * burst ends (fewer than {@link #GATHER_MIN_STEP} finished in the last
	 * {@link #GATHER_NANOS}), or {@link #GATHER_LIMIT_NANOS} have passed.
	 */
	private void gather() {
		long deadline = System.nanoTime() + GATHER_LIMIT_NANOS;
		int gathered = this.outcomes.size();
		while (this.running && gathered + 1 < GATHER_TARGET) {
			LockSupport.parkNanos(GATHER_NANOS);
			int size = this.outcomes.size();
			// A step that adds one job or none is a trickle, or the burst's end:
			// waiting longer would delay each job's visible end for little.
			if (size - gathered < GATHER_MIN_STEP || System.nanoTime() - deadline >= 0) {
				return;
			}
			gathered = size;
		}
	}

	private long pollMillis() {
		long millis = 100;
		if (!this.deferred.isEmpty()) {
			millis = Math.min(millis, this.nextDeferredAttempt - System.currentTimeMillis());
		}
		if (!this.leftBehind.isEmpty()) {
			millis = Math.min(millis,
					TimeUnit.NANOSECONDS.toMillis(this.leftBehind.nanosUntilDue(System.nanoTime())) + 1);
		}
		return Math.max(1, millis);
	}

	/**
	 * Lets go of the batch's jobs. Failures are let go by {@link #writeFailures} once
	 * written, unless the whole batch is given up on.
	 */
	private void done(List<Outcome> batch, boolean givenUp) {
		batch.forEach((outcome) -> {
			if (!(outcome instanceof Outcome.Started) && (givenUp || !isFailure(outcome))) {
				this.written.accept(outcome.entryId());
			}
		});
		batch.clear();
	}

	private static boolean isFailure(Outcome outcome) {
		return outcome instanceof Outcome.Retry || outcome instanceof Outcome.Dead
				|| outcome instanceof Outcome.Deferred;
	}

	/**
	 * Acknowledges finished jobs and removes their entries in one script call, deleting
	 * as well the entries left earlier that are due; written again in full if it fails,
	 * which is idempotent. Redis never refuses it for lack of memory: it only frees.
	 */
	private void writeAcks(List<Outcome> batch) {
		List<String> acks = new ArrayList<>(batch.size());
		for (Outcome outcome : batch) {
			if (outcome instanceof Outcome.Done done && done.tracking() == null
					|| outcome instanceof Outcome.Cancelled cancelled && cancelled.tracking() == null) {
				acks.add(outcome.entryId());
			}
		}
		acknowledge(acks);
	}

	private void acknowledge(List<String> acks) {
		long now = System.nanoTime();
		List<String> deletes = this.running ? this.leftBehind.due(now, MAX_BATCH) : this.leftBehind.all(MAX_BATCH);
		if (acks.isEmpty() && deletes.isEmpty()) {
			return;
		}
		List<Object> arguments = new ArrayList<>(acks.size() + deletes.size() + 2);
		arguments.add(QueueKeys.GROUP);
		arguments.add(Integer.toString(acks.size()));
		arguments.addAll(acks);
		arguments.addAll(deletes);
		String oldestPending = this.redis.execute(ACK, List.of(this.keys.stream()), arguments.toArray());
		this.leftBehind.deleted(deletes.size());
		if (!acks.isEmpty()) {
			this.leftBehind.acknowledged(acks, oldestPending, now);
		}
	}

	/**
	 * Writes the starts and ends of tracked jobs, in order, one script call each (ends
	 * acknowledge in the same call). Written again in full if one fails: each is
	 * idempotent.
	 */
	private void writeTracked(List<Outcome> batch) {
		List<String> fallbackAcks = new ArrayList<>();
		for (Outcome outcome : batch) {
			try {
				if (outcome instanceof Outcome.Started started) {
					this.tracking.started(started.tracking());
				}
				else if (outcome instanceof Outcome.Done done && done.tracking() != null) {
					this.tracking.succeeded(done.entryId(), done.tracking(), done.result());
				}
				else if (outcome instanceof Outcome.Cancelled cancelled && cancelled.tracking() != null) {
					this.tracking.cancelled(cancelled.entryId(), cancelled.tracking());
				}
			}
			catch (RedisSystemException ex) {
				// Redis answered with an error for this write alone (a key of another
				// type,
				// say): retrying cannot help, and it must not hold up the queue's other
				// outcomes. The job itself is still acknowledged.
				logger.error("Could not record the state of a job of queue '" + this.keys.queue()
						+ "'; it is acknowledged without it: " + FailureBackoff.describe(ex));
				if (!(outcome instanceof Outcome.Started)) {
					fallbackAcks.add(outcome.entryId());
				}
			}
		}
		if (!fallbackAcks.isEmpty()) {
			acknowledge(fallbackAcks);
		}
	}

	/**
	 * Writes retries and dead letters. One that Redis refuses (at maxmemory, say) is set
	 * aside and tried again with growing pauses, while later acknowledgements go ahead:
	 * they are what frees the memory, so they must not queue behind it.
	 */
	private void writeFailures(List<Outcome> batch) {
		long now = System.currentTimeMillis();
		List<Outcome> pending = new ArrayList<>();
		if (!this.deferred.isEmpty() && now >= this.nextDeferredAttempt) {
			pending.addAll(this.deferred);
			this.deferred.clear();
		}
		for (Outcome outcome : batch) {
			if (isFailure(outcome)) {
				pending.add(outcome);
			}
		}
		int refused = 0;
		for (Outcome outcome : pending) {
			try {
				writeFailure(outcome);
				this.written.accept(outcome.entryId());
			}
			catch (DataAccessException ex) {
				if (this.deferredFailures == 0 && refused == 0) {
					logger.warn("Redis refused to record a retry or dead letter of queue '" + this.keys.queue()
							+ "'; the job stays pending and the write is tried again: " + FailureBackoff.describe(ex));
				}
				refused++;
				this.deferred.add(outcome);
			}
		}
		if (refused > 0) {
			this.deferredFailures++;
			this.nextDeferredAttempt = now + Math.min(5000, 50L << Math.min(this.deferredFailures, 10));
		}
		else if (this.deferredFailures > 0 && this.deferred.isEmpty()) {
			logger.info("Recording retries and dead letters of queue '" + this.keys.queue() + "' recovered");
			this.deferredFailures = 0;
		}
	}

	private void writeFailure(Outcome outcome) {
		if (outcome instanceof Outcome.Retry retry) {
			boolean written = this.failedJobs.scheduleRetry(this.keys, retry.entryId(), retry.retried(), retry.dueAt());
			if (written && retry.tracking() != null) {
				settleQuietly(() -> this.tracking.retrying(retry.tracking(), retry.error(), retry.dueAt()));
			}
		}
		else if (outcome instanceof Outcome.Dead dead) {
			boolean written = this.failedJobs.deadLetter(this.keys, dead.entryId(), dead.job(), dead.reason(),
					dead.error(), dead.attempts());
			if (written && dead.tracking() != null) {
				settleQuietly(() -> this.tracking.dead(dead.tracking(), dead.reason()));
			}
		}
		else if (outcome instanceof Outcome.Deferred deferred) {
			this.failedJobs.scheduleRetry(this.keys, deferred.entryId(), deferred.job(), deferred.dueAt());
		}
	}

	/**
	 * Records a failed job's state once the failure itself is written. Not retried: the
	 * failure must not be written twice, and a lock or lease left behind expires.
	 */
	private void settleQuietly(Runnable write) {
		try {
			write.run();
		}
		catch (DataAccessException ex) {
			logger.warn("Could not record the state of a failed job of queue '" + this.keys.queue()
					+ "'; its uniqueness lock and concurrency lease expire by themselves: "
					+ FailureBackoff.describe(ex));
		}
	}

}
