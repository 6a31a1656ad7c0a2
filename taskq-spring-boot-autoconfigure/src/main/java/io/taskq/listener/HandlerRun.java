package io.taskq.listener;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

import io.taskq.listener.Admission.Admitted;
import io.taskq.listener.adapter.SimpleJobContext;
import io.taskq.listener.adapter.TaskEndpoint;
import io.taskq.support.JobExecution;
import io.taskq.support.JobMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs an admitted job's handler and decides the outcome when it returns, throws, or (an
 * asynchronous handler) completes its stage: done, cancelled, or a failure turned into a
 * retry or dead letter. Arms the timeout watchdog, which settles a handler that overstays
 * its timeout while it still runs.
 * <p>
 * The outcome of an asynchronous handler (one returning a {@link CompletionStage}) is
 * decided on the thread that completes its stage; so nothing here blocks or calls Redis
 * once the handler has been invoked.
 */
final class HandlerRun {

	private static final Log logger = LogFactory.getLog(HandlerRun.class);

	private final String queue;

	private final JobOutcomes outcomes;

	private final TimeoutWatchdog watchdog;

	private final BooleanSupplier abandoned;

	private final SlowTaskLog slowTasks;

	/**
	 * @param abandoned whether the container gave up on running jobs at shutdown; a job
	 * interrupted then is neither failed nor retried, it stays pending for a reclaim
	 */
	HandlerRun(String queue, JobOutcomes outcomes, TimeoutWatchdog watchdog, BooleanSupplier abandoned,
			SlowTaskLog slowTasks) {
		this.queue = queue;
		this.outcomes = outcomes;
		this.watchdog = watchdog;
		this.abandoned = abandoned;
		this.slowTasks = slowTasks;
	}

	CompletionStage<Outcome> run(Execution execution, Admitted admitted) {
		Run run = new Run(execution, admitted);
		JobMessage job = admitted.job();
		TaskEndpoint endpoint = admitted.endpoint();
		SimpleJobContext context = new SimpleJobContext(job.id(), job.task(), this.queue, admitted.attempt(),
				admitted.maxRetries() + 1, Instant.ofEpochMilli(job.createdAt()), job.headers(),
				execution.handler()::isCancelRequested);
		Object result;
		execution.handler().enter();
		try {
			if (admitted.timeoutMillis() > 0) {
				// The handler still runs: its lease stays (refreshed with its claim) and
				// lapses after it, so the key's limit holds. Not recovered: a recoverer
				// would race the handler, and it would run under the run's monitor.
				Tracking keepingLease = (admitted.tracking() != null) ? admitted.tracking().withoutLease() : null;
				this.watchdog.watch(execution, admitted.timeoutMillis(),
						() -> this.outcomes.failed(execution.entryId(), job,
								JobOutcomes.timedOut(job, admitted.timeoutMillis()), admitted.attempt(),
								admitted.maxRetries(), keepingLease, false));
			}
			result = endpoint.invoker().invoke(admitted.payload(), context);
		}
		catch (Throwable ex) {
			execution.handler().leave();
			return completed(run.threw(ex));
		}
		if (!endpoint.invoker().isAsync()) {
			execution.handler().leave();
			return completed(run.returned(result));
		}
		if (!(result instanceof CompletionStage<?> stage)) {
			execution.handler().leave();
			return completed(run.threw(new IllegalStateException(
					"handler " + endpoint.description() + " returned null instead of a CompletionStage")));
		}
		CompletableFuture<?> pending;
		try {
			pending = toFuture(stage);
		}
		catch (RuntimeException ex) {
			execution.handler().leave();
			return completed(run.threw(ex));
		}
		execution.handler().returned(pending);
		return pending.handle((value, ex) -> {
			execution.handler().leave();
			return (ex != null) ? run.threw(unwrap(ex)) : run.returned(value);
		});
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

	static CompletableFuture<Outcome> completed(Outcome outcome) {
		return CompletableFuture.completedFuture(outcome);
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

	private static JobExecution.Result result(Outcome outcome) {
		if (outcome instanceof Outcome.Done) {
			return JobExecution.Result.SUCCESS;
		}
		if (outcome instanceof Outcome.Cancelled) {
			return JobExecution.Result.CANCELLED;
		}
		return (outcome instanceof Outcome.Retry) ? JobExecution.Result.RETRY : JobExecution.Result.DEAD;
	}

	/**
	 * One run of a handler, from the moment it is invoked: decides its outcome when the
	 * handler returns, throws, or (asynchronous) completes its stage.
	 */
	private final class Run {

		private final Execution execution;

		private final Admitted admitted;

		private final long startedAt = System.currentTimeMillis();

		private final long start = System.nanoTime();

		Run(Execution execution, Admitted admitted) {
			this.execution = execution;
			this.admitted = admitted;
		}

		Outcome returned(@Nullable Object result) {
			Outcome outcome = this.execution.watchdogOutcome();
			if (outcome != null) {
				return observed(outcome, true);
			}
			if (this.execution.handler().isTimedOut()) {
				return observed(failed(timedOut()), true);
			}
			return observed(done(result), false);
		}

		Outcome threw(Throwable ex) {
			String entryId = this.execution.entryId();
			if (HandlerRun.this.abandoned.getAsBoolean()) {
				return new Outcome.Abandoned(entryId);
			}
			Outcome outcome = this.execution.watchdogOutcome();
			if (outcome != null) {
				return observed(outcome, true);
			}
			JobMessage job = this.admitted.job();
			if (this.execution.handler().isCancelRequested()) {
				logger.info("Job " + job.id() + " (" + job.task() + " on queue " + HandlerRun.this.queue
						+ ") was cancelled while running: " + ex);
				return observed(new Outcome.Cancelled(entryId, this.admitted.tracking()), false);
			}
			return observed(failed(this.execution.handler().isTimedOut() ? timedOut() : ex), true);
		}

		private Outcome failed(Throwable failure) {
			return HandlerRun.this.outcomes.failed(this.execution.entryId(), this.admitted.job(), failure,
					this.admitted.attempt(), this.admitted.maxRetries(), this.admitted.tracking(), true);
		}

		private Throwable timedOut() {
			return JobOutcomes.timedOut(this.admitted.job(), this.admitted.timeoutMillis());
		}

		private Outcome done(@Nullable Object result) {
			String entryId = this.execution.entryId();
			Tracking tracking = this.admitted.tracking();
			if (tracking == null) {
				return new Outcome.Done(entryId);
			}
			String json = null;
			if (tracking.status() && result != null) {
				try {
					json = this.admitted.endpoint().invoker().writeResult(result);
				}
				catch (RuntimeException ex) {
					JobMessage job = this.admitted.job();
					logger.warn("Job " + job.id() + " (" + job.task() + " on queue " + HandlerRun.this.queue
							+ ") succeeded but its result could not be written as JSON: " + ex.getMessage());
				}
			}
			return new Outcome.Done(entryId, tracking, json);
		}

		/**
		 * @param failed whether the handler failed: a job done after a failure was
		 * finished by the recoverer
		 */
		private Outcome observed(Outcome outcome, boolean failed) {
			long duration = System.nanoTime() - this.start;
			JobMessage job = this.admitted.job();
			HandlerRun.this.slowTasks.check(job, HandlerRun.this.queue, this.admitted.endpoint(), duration);
			JobExecution.Result result = (failed && outcome instanceof Outcome.Done) ? JobExecution.Result.RECOVERED
					: result(outcome);
			HandlerRun.this.outcomes.executed(new JobExecution(HandlerRun.this.queue, job.task(), job.id(),
					readyAt(this.execution.entryId()), job.dueAt(), this.startedAt, duration, result));
			return outcome;
		}

	}

}
