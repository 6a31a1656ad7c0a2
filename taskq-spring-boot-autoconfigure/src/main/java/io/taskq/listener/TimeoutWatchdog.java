package io.taskq.listener;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Enforces job timeouts of one queue (issue 5). When a job overstays, its handler is
 * interrupted (an asynchronous handler's stage is cancelled, which ends the run at once);
 * if it is still inside the handler a grace period later, its failure is written anyway,
 * so the job is retried per policy now instead of waiting for a reclaim after the
 * visibility timeout. The stuck thread keeps its worker slot until it returns: the queue
 * never runs more jobs at once than its concurrency. A cancelled stage gives its slot
 * back at once; work behind it that ignores the cancellation may go on.
 * <p>
 * The timer thread exists only once a job with a timeout has run.
 */
final class TimeoutWatchdog {

	private static final Log logger = LogFactory.getLog(TimeoutWatchdog.class);

	/** How long an interrupted handler gets to return before its failure is written. */
	static final long GRACE_MILLIS = 1000;

	private final String queue;

	private final Consumer<Outcome> outcomes;

	private @Nullable ScheduledThreadPoolExecutor timer;

	TimeoutWatchdog(String queue, Consumer<Outcome> outcomes) {
		this.queue = queue;
		this.outcomes = outcomes;
	}

	/**
	 * Watches a run that has entered its handler.
	 * @param hungOutcome the failure to write if the handler ignores the interrupt
	 */
	void watch(Execution execution, long timeoutMillis, Supplier<Outcome> hungOutcome) {
		ScheduledThreadPoolExecutor timer = timer();
		execution.handler().watchdog(timer.schedule(() -> {
			execution.handler().timeOut();
			timer.schedule(() -> settleIfHung(execution, timeoutMillis, hungOutcome), GRACE_MILLIS,
					TimeUnit.MILLISECONDS);
		}, timeoutMillis, TimeUnit.MILLISECONDS));
	}

	private void settleIfHung(Execution execution, long timeoutMillis, Supplier<Outcome> hungOutcome) {
		Outcome outcome = execution.settleHung(() -> {
			logger.warn("Job " + execution.jobId() + " of queue '" + this.queue + "' ignored the interrupt at its "
					+ timeoutMillis + " ms timeout; its failure is recorded now and its worker slot stays busy until"
					+ " the handler returns");
			return hungOutcome.get();
		});
		if (outcome != null) {
			this.outcomes.accept(outcome);
		}
	}

	private synchronized ScheduledThreadPoolExecutor timer() {
		if (this.timer == null) {
			ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "taskq-" + this.queue + "-timeouts");
				thread.setDaemon(true);
				return thread;
			});
			timer.setRemoveOnCancelPolicy(true);
			this.timer = timer;
		}
		return this.timer;
	}

	synchronized void stop() {
		if (this.timer != null) {
			this.timer.shutdownNow();
		}
	}

}
