package io.taskq.listener;

import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Starts the jobs a {@link JobFetcher} fetched, each in a worker slot the fetcher took
 * for it: on a worker thread or, for a handler returning a {@code CompletionStage}, on
 * the fetcher thread itself, since such a handler only starts its work and a hand-off to
 * a worker thread and back costs more than the call. A job's slot comes back when it is
 * done, which for an asynchronous handler is later.
 */
final class JobDispatcher {

	private static final Log logger = LogFactory.getLog(JobDispatcher.class);

	private final WorkerSlots slots;

	private final ThreadPoolExecutor workers;

	/**
	 * Held while the fetcher invokes a handler itself, so that stopping, which interrupts
	 * the fetcher, never interrupts a handler.
	 */
	private final ReentrantLock invoking = new ReentrantLock();

	JobDispatcher(WorkerSlots slots, ThreadPoolExecutor workers) {
		this.slots = slots;
		this.workers = workers;
	}

	/**
	 * Wakes the fetcher from a blocking read or wait, once it is not inside a handler
	 * (one it invokes only starts its work, so the wait is short).
	 */
	void interrupt(Thread fetcher, long deadline) {
		boolean locked = false;
		try {
			locked = this.invoking.tryLock(StopDeadlines.millisUntil(deadline), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			fetcher.interrupt();
		}
		finally {
			if (locked) {
				this.invoking.unlock();
			}
		}
	}

	/**
	 * Starts a job in a slot the fetcher took for it.
	 * @throws RuntimeException if no worker took the job: it did not start, and its slot
	 * is still the fetcher's
	 */
	void dispatch(QueueLane lane, Execution execution, Map<String, String> fields, long deliveries) {
		String entryId = execution.entryId();
		lane.inFlight().put(entryId, execution);
		if (lane.startsWithoutBlocking(fields)) {
			runHere(lane, execution, fields, deliveries);
			return;
		}
		try {
			this.workers.execute(() -> start(lane, execution, fields, deliveries));
		}
		catch (RuntimeException ex) {
			lane.inFlight().remove(entryId);
			throw ex;
		}
	}

	/**
	 * Invokes an asynchronous handler on the fetcher thread: it only starts the work, so
	 * a hand-off to a worker thread would cost more than the call.
	 */
	private void runHere(QueueLane lane, Execution execution, Map<String, String> fields, long deliveries) {
		this.invoking.lock();
		try {
			// An interrupt from stop() that came before the lock is for the fetch loop,
			// not for the handler: kept aside while it runs.
			boolean stopping = Thread.interrupted();
			try {
				start(lane, execution, fields, deliveries);
			}
			catch (RuntimeException | Error ex) {
				logger.error("Unexpected failure starting job entry " + execution.entryId() + " of queue '"
						+ lane.queue() + "'; it stays pending and will be reclaimed", ex);
			}
			if (stopping) {
				Thread.currentThread().interrupt();
			}
		}
		finally {
			this.invoking.unlock();
		}
	}

	/**
	 * Runs a job; its slot comes back when it is done, which for an asynchronous handler
	 * is later.
	 */
	private void start(QueueLane lane, Execution execution, Map<String, String> fields, long deliveries) {
		try {
			lane.run(execution, fields, deliveries).whenComplete((outcome, ex) -> this.slots.release(1));
		}
		catch (RuntimeException | Error ex) {
			this.slots.release(1);
			throw ex;
		}
	}

}
