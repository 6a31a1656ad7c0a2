package io.taskq.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

import io.taskq.retry.FailedJobWriter;
import io.taskq.support.JobObserver;
import io.taskq.support.redis.QueueKeys;
import io.taskq.support.redis.StreamScripts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * One queue served by a {@link JobListenerContainer}: everything that belongs to the
 * queue rather than to the container's worker pool. Its stream and consumer group, the
 * jobs of it running here, their outcomes and claims, its pause flag and cancellation
 * requests. A container serves one lane, or several by priority or weight.
 */
final class QueueLane {

	private static final Log logger = LogFactory.getLog(QueueLane.class);

	private final QueueKeys keys;

	private final ListenerOptions options;

	private final StreamScripts streams;

	private final int weight;

	private final OutcomeWriter outcomes;

	private final PendingClaims claims;

	private final TimeoutWatchdog watchdog;

	private final JobProcessor processor;

	private final ConcurrencyLeases leases;

	private final BooleanSupplier abandoned;

	private final HeldJobs held = new HeldJobs();

	private final StreamOffset<String> readOffset;

	private final LaneReads reads;

	private final QueueControls controls;

	/**
	 * @param weight this queue's share of the worker pool when the container serves its
	 * queues by weight
	 * @param abandoned whether the container gave up on running jobs at shutdown
	 */
	QueueLane(QueueKeys keys, int weight, ListenerOptions options, StringRedisTemplate redis,
			TaskEndpointRegistry endpoints, FailedJobWriter failedJobs, JobObserver observer,
			BooleanSupplier abandoned) {
		this.keys = keys;
		this.weight = weight;
		this.options = options;
		this.streams = new StreamScripts(redis);
		long trackingTtl = options.trackingTtl().toMillis();
		TrackingWrites tracking = new TrackingWrites(keys, redis, trackingTtl, options.consumerName());
		this.outcomes = new OutcomeWriter(keys.queue(), new AckWrites(keys, redis, tracking),
				new FailureWrites(keys, failedJobs, tracking), this.held::outcomeWritten);
		ConcurrencyLeases leases = new ConcurrencyLeases(keys, redis, options.visibilityTimeout().toMillis());
		this.leases = leases;
		this.claims = new PendingClaims(keys, options, redis, leases);
		CancelledJobs cancelled = new CancelledJobs(trackingTtl);
		this.controls = new QueueControls(keys, redis, options, cancelled, this.held.byEntryId());
		this.watchdog = new TimeoutWatchdog(keys.queue(), this.outcomes::submit);
		UnhandledJobs unhandled = new UnhandledJobs(keys, new HandledTasks(redis, options.consumerName()),
				options.unhandledTaskGrace());
		this.processor = new JobProcessor(keys.queue(), endpoints, options, observer, abandoned, cancelled, leases,
				this.watchdog, this.outcomes::submit, unhandled);
		this.abandoned = abandoned;
		this.readOffset = StreamOffset.create(keys.stream(), ReadOffset.lastConsumed());
		this.reads = new LaneReads(keys, this.streams);
	}

	String queue() {
		return this.keys.queue();
	}

	String stream() {
		return this.keys.stream();
	}

	int weight() {
		return this.weight;
	}

	StreamOffset<String> readOffset() {
		return this.readOffset;
	}

	Map<String, Execution> inFlight() {
		return this.held.byEntryId();
	}

	/** How many of this queue's jobs are in a handler here now. */
	int running() {
		return this.held.running();
	}

	boolean isPaused() {
		return this.controls.isPaused();
	}

	/**
	 * Whether the queue may be read now: not paused, and not backing off after a failure.
	 */
	boolean isReady(long now) {
		return !this.controls.isPaused() && now >= this.reads.retryAt();
	}

	/** When a read may be tried again after a failure (epoch millis), 0 if at once. */
	long retryAt() {
		return this.reads.retryAt();
	}

	void readSucceeded() {
		this.reads.succeeded();
	}

	/** See {@link LaneReads#failed}. */
	void readFailed(RuntimeException ex) {
		this.reads.failed(ex);
	}

	/**
	 * @return whether the pause flag changed
	 */
	boolean setPaused(boolean paused) {
		return this.controls.setPaused(paused);
	}

	void cancel(String jobId, long requestedAt) {
		this.controls.cancel(jobId, requestedAt);
	}

	/** See {@link QueueControls#read()}. */
	boolean readControls() {
		return this.controls.read();
	}

	/** Whether a re-read of the controls is due; if so, the next one is scheduled. */
	boolean controlsCheckDue() {
		return this.controls.checkDue();
	}

	/** Jobs dead consumers left pending, if a scan is due; none if it fails. */
	List<PendingClaims.ClaimedEntry> reclaimIfDue(int permits) {
		try {
			return this.claims.reclaimIfDue(permits, this.held.byEntryId());
		}
		catch (RuntimeException ex) {
			readFailed(ex);
			return List.of();
		}
	}

	/** Renews the claims of the jobs held here; see {@link ClaimKeeper}. */
	void renewClaims() {
		this.claims.refresh(this.held.byEntryId());
	}

	/**
	 * Whether the entry's job starts without blocking, so the fetcher may start it
	 * itself.
	 */
	boolean startsWithoutBlocking(Map<String, String> fields) {
		return this.processor.startsWithoutBlocking(fields);
	}

	/**
	 * Runs one delivery and hands its outcome to the writer.
	 * @return completes once the outcome is handed over: when the handler returns, or
	 * when the stage of an asynchronous handler completes
	 */
	CompletionStage<?> run(Execution execution, Map<String, String> fields, long deliveries) {
		CompletionStage<Outcome> outcome;
		try {
			outcome = this.processor.process(execution, fields, deliveries);
		}
		catch (RuntimeException | Error ex) {
			this.held.remove(execution.entryId());
			throw ex;
		}
		return outcome.whenComplete((settled, ex) -> {
			try {
				if (ex != null) {
					logger.error("Unexpected failure running job entry " + execution.entryId() + " of queue '" + queue()
							+ "'; it stays pending and will be reclaimed", ex);
				}
				else if (isToBeWritten(settled) && execution.settle()) {
					this.outcomes.submit(settled);
				}
				else if (execution.watchdogOutcome() != null) {
					releaseLeaseOfOverdueRun(execution);
				}
			}
			finally {
				// After the submit: the job stays held, its claim renewed, until the
				// writer has written its outcome.
				if (execution.runEnded()) {
					this.held.remove(execution);
				}
				if (execution.isSuspect()) {
					this.claims.suspectEnded();
				}
			}
		});
	}

	/**
	 * A handler that overstayed its timeout kept its concurrency lease after its failure
	 * was written, so the key's limit held while it ran on; it returned now, and the next
	 * job of the key may start.
	 */
	private void releaseLeaseOfOverdueRun(Execution execution) {
		String leaseKey = execution.leaseKey();
		String jobId = execution.jobId();
		if (leaseKey != null && jobId != null) {
			this.leases.release(leaseKey, jobId);
		}
	}

	/**
	 * A job that finished despite the shutdown giving up on it is still acknowledged.
	 */
	private boolean isToBeWritten(Outcome outcome) {
		return outcome instanceof Outcome.Done
				|| (!this.abandoned.getAsBoolean() && !(outcome instanceof Outcome.Abandoned));
	}

	/**
	 * Hands back entries a read returned that will not run here now: each goes back to
	 * the stream's tail, undelivered.
	 */
	void requeue(List<String> entryIds) {
		this.streams.requeue(this.keys, this.options.consumerName(), entryIds);
	}

	void start() {
		this.outcomes.start();
	}

	/**
	 * Cancels the stages of asynchronous jobs still pending when the container gives up
	 * on them at shutdown: they are abandoned, left pending in Redis for a reclaim.
	 */
	void abandonPendingStages() {
		this.held.abandonPendingStages();
	}

	/** Logs the jobs still running when the shutdown timeout ends. */
	void warnAbandoned(Duration timeout) {
		long running = this.held.unsettled();
		if (running > 0) {
			logger.warn(running + " jobs of queue '" + queue() + "' still running after " + timeout
					+ "; they stay pending and will be reclaimed after the visibility timeout");
		}
	}

	/**
	 * Stops timing jobs out and lets the writer write the last outcomes; see
	 * {@link #awaitStopped}.
	 */
	void beginStop() {
		this.watchdog.stop();
		this.outcomes.finish();
	}

	/**
	 * Waits for the last outcomes to be written, giving up at the deadline, and logs
	 * those that were not.
	 * @return whether every outcome was written
	 */
	boolean awaitStopped(long deadline) {
		this.outcomes.awaitStopped(deadline);
		long unwritten = this.held.outcomesUnwritten();
		if (unwritten > 0) {
			logger.warn(unwritten + " job outcomes of queue '" + queue()
					+ "' not written: Redis did not answer before the shutdown deadline; those jobs"
					+ " stay pending and will be reclaimed after the visibility timeout");
		}
		return unwritten == 0;
	}

	/**
	 * Leaves the consumer group if this consumer holds no job there: a courtesy that
	 * keeps the group's list of consumers short.
	 */
	void leaveGroup() {
		this.claims.releaseConsumer();
	}

}
