package io.taskq.listener;

import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.taskq.JobId;
import io.taskq.JobTimeoutException;
import io.taskq.listener.adapter.SimpleJobContext;
import io.taskq.listener.adapter.TaskEndpoint;
import io.taskq.retry.ErrorClassifier;
import io.taskq.retry.RetryPolicy;
import io.taskq.support.JobControls;
import io.taskq.support.JobExecution;
import io.taskq.support.JobMessage;
import io.taskq.support.JobObserver;
import io.taskq.support.MalformedJobException;
import io.taskq.support.PayloadReadException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * Runs one delivery of a job and decides its {@link Outcome}: done, retry with backoff,
 * dead letter (or done, when the application's recoverer finished a job that failed for
 * the last time), cancelled, or deferred until its concurrency key has a free slot or,
 * for a task without a handler here, until another instance may take it. Never throws:
 * whatever goes wrong becomes an outcome, so a worker thread cannot die and a job cannot
 * be dropped. Logs once per failed attempt, never the payload.
 * <p>
 * A plain job (no tracking, uniqueness, concurrency key or timeout) costs no Redis call
 * here; a job with a concurrency key costs one before it starts.
 * <p>
 * The outcome of an asynchronous handler (one returning a {@link CompletionStage}) is
 * decided when its stage completes, on the thread that completes it; so nothing here
 * blocks or calls Redis once the handler has been invoked.
 */
final class JobProcessor {

	private static final Log logger = LogFactory.getLog(JobProcessor.class);

	private final String queue;

	private final TaskEndpointRegistry endpoints;

	private final RetryPolicy defaultRetry;

	private final ErrorClassifier classifier;

	private final JobRecovery recovery;

	private final long concurrencyWaitMillis;

	private final BooleanSupplier abandoned;

	private final JobObserver observer;

	private final SlowTaskLog slowTasks;

	private final CancelledJobs cancelled;

	private final ConcurrencyLeases leases;

	private final TimeoutWatchdog watchdog;

	private final Consumer<Outcome> earlyWrites;

	private final UnhandledJobs unhandled;

	/**
	 * @param abandoned whether the container gave up on running jobs at shutdown; a job
	 * interrupted then is neither failed nor retried, it stays pending for a reclaim
	 * @param earlyWrites where writes due before the outcome go (a tracked job's start)
	 * @param unhandled what becomes of jobs whose task has no handler here
	 */
	JobProcessor(String queue, TaskEndpointRegistry endpoints, ListenerOptions options, JobObserver observer,
			BooleanSupplier abandoned, CancelledJobs cancelled, ConcurrencyLeases leases, TimeoutWatchdog watchdog,
			Consumer<Outcome> earlyWrites, UnhandledJobs unhandled) {
		this.queue = queue;
		this.endpoints = endpoints;
		this.defaultRetry = options.retry();
		this.classifier = options.errorClassifier();
		this.recovery = new JobRecovery(options.recoverer(), queue);
		this.concurrencyWaitMillis = options.concurrencyWait().toMillis();
		this.slowTasks = new SlowTaskLog(options.slowTaskThreshold());
		this.observer = observer;
		this.abandoned = abandoned;
		this.cancelled = cancelled;
		this.leases = leases;
		this.watchdog = watchdog;
		this.earlyWrites = earlyWrites;
		this.unhandled = unhandled;
	}

	/**
	 * Whether the job starts without blocking: its handler here is asynchronous and no
	 * concurrency lease must be taken (a Redis call) before it.
	 */
	boolean startsWithoutBlocking(Map<String, String> fields) {
		String task = fields.get("task");
		TaskEndpoint endpoint = (task != null) ? this.endpoints.endpoint(task) : null;
		return endpoint != null && endpoint.queue().equals(this.queue) && endpoint.invoker().isAsync()
				&& endpoint.concurrencyLimit() == 0 && !JobControls.hasConcurrencyControl(fields);
	}

	/**
	 * @param execution the run, registered with the container
	 * @param fields the entry's fields
	 * @param deliveries how often this entry has been delivered, 1 on first delivery
	 */
	CompletionStage<Outcome> process(Execution execution, Map<String, String> fields, long deliveries) {
		String entryId = execution.entryId();
		JobMessage job;
		try {
			job = JobMessage.fromFields(fields);
		}
		catch (MalformedJobException ex) {
			JobMessage placeholder = new JobMessage(JobId.of("entry-" + entryId), fields.getOrDefault("task", "(none)"),
					null, 0, null, 0, 0, Map.of());
			return completed(dead(entryId, placeholder, "malformed stream entry " + entryId + ": " + ex.getMessage(),
					ex, 1, null));
		}
		execution.jobId(job.id().value());
		TaskEndpoint endpoint = this.endpoints.endpoint(job.task());
		if (endpoint == null || !endpoint.queue().equals(this.queue)) {
			// Not run here: waits for an instance that has the handler, without
			// spending an attempt, then dies with none spent (issue 16, point 15).
			Outcome.Deferred deferred = this.unhandled.defer(entryId, job, endpoint);
			if (deferred != null) {
				return completed(deferred);
			}
			return completed(dead(entryId, this.unhandled.asDead(job), this.unhandled.deadReason(job, endpoint), null,
					job.retries(), tracking(job, null, job.retries())));
		}
		int maxRetries = maxRetries(job, endpoint);
		int attempt = job.retries() + (int) deliveries;
		Tracking tracking = tracking(job, endpoint, attempt);
		if (attempt > maxRetries + 1) {
			return completed(
					dead(entryId, job, "delivered " + deliveries + " times without finishing: the worker running it"
							+ " crashed or was killed each time", null, attempt - 1, tracking));
		}
		if (this.cancelled.isCancelled(job.id().value(), readyAt(entryId)) || execution.isCancelRequested()) {
			logger.info("Job " + job.id() + " (" + job.task() + " on queue " + this.queue
					+ ") was cancelled before it started");
			return completed(new Outcome.Cancelled(entryId, tracking));
		}
		Object payload;
		try {
			payload = endpoint.invoker().readPayload(job.payload());
		}
		catch (PayloadReadException ex) {
			String reason = this.recovery.recover(job, ex.getMessage(), ex.loggableMessage(), ex, attempt);
			if (reason == null) {
				return completed(new Outcome.Done(entryId, tracking, null));
			}
			logDead(job, ex.loggableMessage() + " (the dead letter holds the parser's message)", null);
			return completed(new Outcome.Dead(entryId, job, reason, ex, attempt, tracking));
		}
		Type payloadType = endpoint.invoker().payloadType();
		if (payload == null && payloadType != null) {
			// Retrying cannot give the job a payload: the entry is malformed.
			return completed(dead(entryId, job,
					"malformed job " + job.id() + ": it has no payload, but handler " + endpoint.description()
							+ " takes one of type " + payloadType.getTypeName()
							+ "; enqueue the task with a payload, or drop the handler's payload parameter",
					null, attempt, tracking));
		}
		String concurrencyKey = concurrencyKey(job, endpoint);
		if (concurrencyKey != null) {
			Outcome waiting = acquireLease(execution, job, concurrencyKey, concurrencyLimit(job, endpoint));
			if (waiting != null) {
				return completed(waiting);
			}
			tracking = ((tracking != null) ? tracking
					: new Tracking(job.id().value(), job.task(), attempt, false, null, false, null, false))
				.withLeaseKey(concurrencyKey);
		}
		if (tracking != null && tracking.writesOnStart()) {
			this.earlyWrites.accept(new Outcome.Started(entryId, tracking));
		}
		return run(execution, job, endpoint, payload, attempt, maxRetries, tracking);
	}

	private CompletionStage<Outcome> run(Execution execution, JobMessage job, TaskEndpoint endpoint,
			@Nullable Object payload, int attempt, int maxRetries, @Nullable Tracking tracking) {
		Run run = new Run(execution, job, endpoint, attempt, maxRetries, tracking, timeoutMillis(job, endpoint));
		SimpleJobContext context = new SimpleJobContext(job.id(), job.task(), this.queue, attempt, maxRetries + 1,
				Instant.ofEpochMilli(job.createdAt()), job.headers(), execution::isCancelRequested);
		Object result;
		execution.enterHandler();
		try {
			if (run.timeout > 0) {
				// The handler still runs: its lease stays (refreshed with its claim) and
				// lapses after it, so the key's limit holds. Not recovered: a recoverer
				// would race the handler, and it would run under the run's monitor.
				Tracking keepingLease = (tracking != null) ? tracking.withoutLease() : null;
				this.watchdog.watch(execution, run.timeout, () -> failed(execution.entryId(), job,
						timedOut(job, run.timeout), attempt, maxRetries, keepingLease, false));
			}
			result = endpoint.invoker().invoke(payload, context);
		}
		catch (Throwable ex) {
			execution.leaveHandler();
			return completed(run.threw(ex));
		}
		if (!endpoint.invoker().isAsync()) {
			execution.leaveHandler();
			return completed(run.returned(result));
		}
		if (!(result instanceof CompletionStage<?> stage)) {
			execution.leaveHandler();
			return completed(run.threw(new IllegalStateException(
					"handler " + endpoint.description() + " returned null instead of a CompletionStage")));
		}
		CompletableFuture<?> pending;
		try {
			pending = toFuture(stage);
		}
		catch (RuntimeException ex) {
			execution.leaveHandler();
			return completed(run.threw(ex));
		}
		execution.handlerReturned(pending);
		return pending.handle((value, ex) -> {
			execution.leaveHandler();
			return (ex != null) ? run.threw(unwrap(ex)) : run.returned(value);
		});
	}

	/**
	 * The stage as a future this run may cancel: the handler's own if it is a
	 * {@code CompletableFuture}, so a timeout or cancellation reaches the work it stands
	 * for, else one that follows it.
	 */
	private static CompletableFuture<?> toFuture(CompletionStage<?> stage) {
		try {
			// A minimal stage (a CompletableFuture that refuses cancel) gives a copy.
			return stage.toCompletableFuture();
		}
		catch (UnsupportedOperationException ex) {
			CompletableFuture<Object> future = new CompletableFuture<>();
			stage.whenComplete((value, failure) -> {
				if (failure != null) {
					future.completeExceptionally(failure);
				}
				else {
					future.complete(value);
				}
			});
			return future;
		}
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	private static CompletableFuture<Outcome> completed(Outcome outcome) {
		return CompletableFuture.completedFuture(outcome);
	}

	/**
	 * One run of a handler, from the moment it is invoked: decides its outcome when the
	 * handler returns, throws, or (asynchronous) completes its stage.
	 */
	private final class Run {

		private final Execution execution;

		private final JobMessage job;

		private final TaskEndpoint endpoint;

		private final int attempt;

		private final int maxRetries;

		private final @Nullable Tracking tracking;

		private final long timeout;

		private final long startedAt = System.currentTimeMillis();

		private final long start = System.nanoTime();

		Run(Execution execution, JobMessage job, TaskEndpoint endpoint, int attempt, int maxRetries,
				@Nullable Tracking tracking, long timeout) {
			this.execution = execution;
			this.job = job;
			this.endpoint = endpoint;
			this.attempt = attempt;
			this.maxRetries = maxRetries;
			this.tracking = tracking;
			this.timeout = timeout;
		}

		Outcome returned(@Nullable Object result) {
			String entryId = this.execution.entryId();
			Outcome outcome = this.execution.watchdogOutcome();
			if (outcome != null) {
				return observed(outcome, true);
			}
			if (this.execution.isTimedOut()) {
				return observed(JobProcessor.this.failed(entryId, this.job, timedOut(this.job, this.timeout),
						this.attempt, this.maxRetries, this.tracking, true), true);
			}
			return observed(done(entryId, this.job, this.endpoint, this.tracking, result), false);
		}

		Outcome threw(Throwable ex) {
			String entryId = this.execution.entryId();
			if (JobProcessor.this.abandoned.getAsBoolean()) {
				return new Outcome.Abandoned(entryId);
			}
			Outcome outcome = this.execution.watchdogOutcome();
			if (outcome != null) {
				return observed(outcome, true);
			}
			if (this.execution.isCancelRequested()) {
				logger.info("Job " + this.job.id() + " (" + this.job.task() + " on queue " + JobProcessor.this.queue
						+ ") was cancelled while running: " + ex);
				return observed(new Outcome.Cancelled(entryId, this.tracking), false);
			}
			Throwable failure = this.execution.isTimedOut() ? timedOut(this.job, this.timeout) : ex;
			return observed(JobProcessor.this.failed(entryId, this.job, failure, this.attempt, this.maxRetries,
					this.tracking, true), true);
		}

		/**
		 * @param failed whether the handler failed: a job done after a failure was
		 * finished by the recoverer
		 */
		private Outcome observed(Outcome outcome, boolean failed) {
			long duration = System.nanoTime() - this.start;
			JobProcessor.this.slowTasks.check(this.job, JobProcessor.this.queue, this.endpoint, duration);
			JobExecution.Result result = (failed && outcome instanceof Outcome.Done) ? JobExecution.Result.RECOVERED
					: result(outcome);
			observe(new JobExecution(JobProcessor.this.queue, this.job.task(), this.job.id(),
					readyAt(this.execution.entryId()), this.job.dueAt(), this.startedAt, duration, result));
			return outcome;
		}

	}

	private Outcome done(String entryId, JobMessage job, TaskEndpoint endpoint, @Nullable Tracking tracking,
			@Nullable Object result) {
		if (tracking == null) {
			return new Outcome.Done(entryId);
		}
		String json = null;
		if (tracking.status() && result != null) {
			try {
				json = endpoint.invoker().writeResult(result);
			}
			catch (RuntimeException ex) {
				logger.warn("Job " + job.id() + " (" + job.task() + " on queue " + this.queue
						+ ") succeeded but its result could not be written as JSON: " + ex.getMessage());
			}
		}
		return new Outcome.Done(entryId, tracking, json);
	}

	/**
	 * Takes a slot of the job's concurrency key.
	 * @return {@code null} when the job may run, else the deferral that makes it wait
	 */
	private Outcome.@Nullable Deferred acquireLease(Execution execution, JobMessage job, String concurrencyKey,
			int limit) {
		try {
			if (this.leases.tryAcquire(concurrencyKey, job.id().value(), limit)) {
				execution.leaseKey(concurrencyKey);
				return null;
			}
		}
		catch (DataAccessException ex) {
			logger.warn("Could not take a slot of concurrency key '" + concurrencyKey + "' for job " + job.id() + " ("
					+ job.task() + " on queue " + this.queue + "); it waits and tries again: "
					+ FailureBackoff.describe(ex));
		}
		long jitter = ThreadLocalRandom.current().nextLong(this.concurrencyWaitMillis / 2 + 1);
		return new Outcome.Deferred(execution.entryId(), job,
				System.currentTimeMillis() + this.concurrencyWaitMillis / 2 + jitter);
	}

	private static JobTimeoutException timedOut(JobMessage job, long timeoutMillis) {
		return new JobTimeoutException("job " + job.id() + " timed out after " + timeoutMillis + " ms");
	}

	private static @Nullable Tracking tracking(JobMessage job, @Nullable TaskEndpoint endpoint, int attempt) {
		JobControls controls = job.controls();
		boolean status = controls.tracked() || (endpoint != null && endpoint.tracked());
		if (!status && controls.uniqueKey() == null && !controls.idRecorded()) {
			return null;
		}
		return new Tracking(job.id().value(), job.task(), attempt, status, controls.uniqueKey(),
				controls.uniqueUntilStarted(), null, controls.idRecorded());
	}

	/** The job's concurrency key, scoped by task, or {@code null} when it has none. */
	private static @Nullable String concurrencyKey(JobMessage job, TaskEndpoint endpoint) {
		String key = job.controls().concurrencyKey();
		if (key != null) {
			return job.task() + ":" + key;
		}
		return (endpoint.concurrencyLimit() > 0 || job.controls().concurrencyLimit() > 0) ? job.task() : null;
	}

	private static int concurrencyLimit(JobMessage job, TaskEndpoint endpoint) {
		if (job.controls().concurrencyLimit() > 0) {
			return job.controls().concurrencyLimit();
		}
		return Math.max(1, endpoint.concurrencyLimit());
	}

	private static long timeoutMillis(JobMessage job, TaskEndpoint endpoint) {
		if (job.controls().timeoutMillis() > 0) {
			return job.controls().timeoutMillis();
		}
		return (endpoint.timeout() != null) ? endpoint.timeout().toMillis() : 0;
	}

	private static JobExecution.Result result(Outcome outcome) {
		if (outcome instanceof Outcome.Done) {
			return JobExecution.Result.SUCCESS;
		}
		if (outcome instanceof Outcome.Cancelled) {
			return JobExecution.Result.CANCELLED;
		}
		return (outcome instanceof Outcome.Retry) ? JobExecution.Result.RETRY : JobExecution.Result.DEAD;
	}

	/** The entry id's time: when XADD stored it, that is when the job became ready. */
	static long readyAt(String entryId) {
		int dash = entryId.indexOf('-');
		try {
			return Long.parseLong((dash > 0) ? entryId.substring(0, dash) : entryId);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private void observe(JobExecution execution) {
		try {
			this.observer.executed(execution);
		}
		catch (RuntimeException ex) {
			logger.debug("Job observer failed", ex);
		}
	}

	/**
	 * @param mayRecover whether a job that failed for the last time may go to the
	 * recoverer: not while its handler still runs
	 */
	private Outcome failed(String entryId, JobMessage job, Throwable ex, int attempt, int maxRetries,
			@Nullable Tracking tracking, boolean mayRecover) {
		FailureDecision decision = FailureDecision.decide(ex, job.retries(), attempt, maxRetries, this.defaultRetry,
				this.classifier);
		if (!(decision instanceof FailureDecision.RetryAfter retry)) {
			String reason = mayRecover ? this.recovery.recover(job, decision.failure(), decision.failure(), ex, attempt)
					: decision.failure();
			// Done as after a success: acknowledged, a tracked job's end recorded.
			return (reason != null) ? dead(entryId, job, reason, ex, attempt, tracking)
					: new Outcome.Done(entryId, tracking, null);
		}
		try {
			this.observer.retried(this.queue, job.task());
		}
		catch (RuntimeException observerFailure) {
			logger.debug("Job observer failed", observerFailure);
		}
		if (logger.isWarnEnabled()) {
			logger.warn("Job " + job.id() + " (" + job.task() + " on queue " + this.queue + ") " + retry.failure()
					+ "; retrying in " + retry.delayMillis() + " ms");
		}
		return new Outcome.Retry(entryId, job.withRetries(job.retries() + 1),
				System.currentTimeMillis() + retry.delayMillis(), tracking, ex.toString());
	}

	private Outcome dead(String entryId, JobMessage job, String reason, @Nullable Throwable error, int attempts,
			@Nullable Tracking tracking) {
		logDead(job, reason, (error instanceof MalformedJobException) ? null : error);
		return new Outcome.Dead(entryId, job, reason, error, attempts, tracking);
	}

	private void logDead(JobMessage job, String reason, @Nullable Throwable error) {
		try {
			this.observer.deadLettered(this.queue, job.task());
		}
		catch (RuntimeException ex) {
			logger.debug("Job observer failed", ex);
		}
		logger.error("Job " + job.id() + " (" + job.task() + " on queue " + this.queue + ") goes to the dead letters: "
				+ reason, error);
	}

	private int maxRetries(JobMessage job, TaskEndpoint endpoint) {
		if (job.maxRetries() != null) {
			return job.maxRetries();
		}
		return (endpoint.maxRetries() != null) ? endpoint.maxRetries() : this.defaultRetry.maxRetries();
	}

}
