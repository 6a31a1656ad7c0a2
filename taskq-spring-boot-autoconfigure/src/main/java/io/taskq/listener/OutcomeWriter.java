package io.taskq.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.taskq.retry.OutageBackoff;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

/**
 * Writes outcomes back to Redis on one thread, so workers never wait for Redis. Finished
 * jobs are acknowledged in batches: under load, everything that finished while the
 * previous batch was in flight goes in the next single script call. The writes themselves
 * are {@link AckWrites}' (successes and cancels) and {@link FailureWrites}' (retries,
 * dead letters, deferrals); this class batches them and lets go of each job once its
 * outcome is written.
 * <p>
 * A job is let go (told to {@code written}) only once its outcome is written, so that it
 * stays held, its claim kept, until then: a success or cancel once the call that
 * acknowledges it has returned, a failure once the failure is written (one Redis refused
 * is held until it is written again). A batch given up on for an error that is not
 * Redis's lets every job in it go: they stay pending and are reclaimed.
 * <p>
 * If Redis is unreachable the outcomes stay queued here and are retried with backoff; the
 * entries stay pending in Redis meanwhile, so a crash now re-runs those jobs rather than
 * losing them. The queue holds at most one outcome per worker slot and fetched job.
 */
final class OutcomeWriter {

	private static final Log logger = LogFactory.getLog(OutcomeWriter.class);

	/** A batch's acknowledgements go in one call. */
	static final int MAX_BATCH = AckWrites.MAX_IDS;

	/**
	 * How long the writer lets outcomes gather at a time while jobs finish in bursts:
	 * without it, a batch holds only what finished during the previous call's round trip,
	 * and the calls per job grow as each instance's share of the work shrinks.
	 */
	static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	/**
	 * The batch the writer gathers towards, for at most {@link #GATHER_LIMIT_NANOS}: the
	 * cost of a call is mostly per call, so an instance with a small share of the jobs
	 * must gather longer than one step to write as few calls per job as a busy one (see
	 * docs/design.md, Hot path).
	 */
	static final int GATHER_TARGET = 128;

	/** Longest an outcome waits for others to join its batch. */
	static final long GATHER_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	/** Outcomes a step of {@link #GATHER_NANOS} must add for the gathering to go on. */
	static final int GATHER_MIN_STEP = 2;

	private final String queue;

	private final AckWrites acks;

	private final FailureWrites failures;

	/** Told of each entry whose outcome is written, or given up on. */
	private final Consumer<String> written;

	private final GatherClock clock;

	private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

	private final OutageBackoff backoff;

	/** Outcomes in the last batch taken; one means jobs finish one at a time. */
	private int lastBatchSize;

	private final Thread thread;

	private volatile boolean running = true;

	/**
	 * @param written told of each entry whose outcome is written (or given up on, the job
	 * then stays pending for a reclaim), on the writer's thread
	 */
	OutcomeWriter(String queue, AckWrites acks, FailureWrites failures, Consumer<String> written) {
		this(queue, acks, failures, written, GatherClock.SYSTEM);
	}

	OutcomeWriter(String queue, AckWrites acks, FailureWrites failures, Consumer<String> written, GatherClock clock) {
		this.queue = queue;
		this.acks = acks;
		this.failures = failures;
		this.written = written;
		this.clock = clock;
		this.backoff = new OutageBackoff(logger, "Writing job outcomes of queue '" + queue + "'");
		this.thread = new Thread(this::run, "taskq-" + queue + "-ack");
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
		while (this.running || !this.outcomes.isEmpty() || !batch.isEmpty() || this.failures.hasDeferred()
				|| this.acks.hasLeftBehind()) {
			if (!writeOnce(batch)) {
				return;
			}
		}
	}

	/**
	 * One turn of the writer's loop, a method of its own so that the JIT compiles it as
	 * it does any hot method rather than only by on-stack replacement of a loop that
	 * never returns (see {@code JobFetcher#fetchOnce}).
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
				else if (!this.running && !this.acks.hasLeftBehind()) {
					// Stopping with only refused writes left: they stay pending,
					// reclaimed later.
					return false;
				}
				else if (this.running && !this.failures.hasDeferred()
						&& this.acks.nanosUntilLeftDue(System.nanoTime()) > 0) {
					// Nothing to write yet. When stopping, left entries go at once.
					return true;
				}
			}
			this.acks.write(batch, !this.running);
			this.failures.write(batch, this.written);
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
			OutageBackoff.pause(this.backoff.failed(ex));
			if (Thread.currentThread().isInterrupted()) {
				return false;
			}
		}
		catch (RuntimeException ex) {
			// Not Redis: retrying cannot help. The jobs stay pending and are
			// reclaimed.
			logger.error("Could not write " + batch.size() + " job outcomes of queue '" + this.queue
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
		long deadline = this.clock.nanoTime() + GATHER_LIMIT_NANOS;
		int gathered = this.outcomes.size();
		while (this.running && gathered + 1 < GATHER_TARGET) {
			this.clock.park(GATHER_NANOS);
			int size = this.outcomes.size();
			// A step that adds one job or none is a trickle, or the burst's end:
			// waiting longer would delay each job's visible end for little.
			if (size - gathered < GATHER_MIN_STEP || this.clock.nanoTime() - deadline >= 0) {
				return;
			}
			gathered = size;
		}
	}

	private long pollMillis() {
		long millis = 100;
		if (this.failures.hasDeferred()) {
			millis = Math.min(millis, this.failures.millisUntilDeferredDue(System.currentTimeMillis()));
		}
		if (this.acks.hasLeftBehind()) {
			millis = Math.min(millis,
					TimeUnit.NANOSECONDS.toMillis(this.acks.nanosUntilLeftDue(System.nanoTime())) + 1);
		}
		return Math.max(1, millis);
	}

	/**
	 * Lets go of the batch's jobs. Failures are let go by {@link FailureWrites} once
	 * written, unless the whole batch is given up on.
	 */
	private void done(List<Outcome> batch, boolean givenUp) {
		batch.forEach((outcome) -> {
			if (!(outcome instanceof Outcome.Started) && (givenUp || !FailureWrites.isFailure(outcome))) {
				this.written.accept(outcome.entryId());
			}
		});
		batch.clear();
	}

}
