package io.taskq.listener;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.taskq.listener.Admission.Admitted;
import io.taskq.listener.Admission.Refused;
import io.taskq.support.JobObserver;

/**
 * One delivery of a job, from its fields to its {@link Outcome}: admission (decode,
 * route, delivery limit, cancellation, payload, lease), then the handler's run (invoke,
 * timeout, asynchronous completion), whose failures the failure decision turns into a
 * retry or dead letter. Never throws: whatever goes wrong becomes an outcome, so a worker
 * thread cannot die and a job cannot be dropped.
 */
final class JobProcessor {

	private final JobAdmission admission;

	private final HandlerRun handlerRun;

	/**
	 * @param abandoned whether the container gave up on running jobs at shutdown
	 * @param earlyWrites where writes due before the outcome go (a tracked job's start)
	 * @param unhandled what becomes of jobs whose task has no handler here
	 */
	JobProcessor(String queue, TaskEndpointRegistry endpoints, ListenerOptions options, JobObserver observer,
			BooleanSupplier abandoned, CancelledJobs cancelled, ConcurrencyLeases leases, TimeoutWatchdog watchdog,
			Consumer<Outcome> earlyWrites, UnhandledJobs unhandled) {
		JobOutcomes outcomes = new JobOutcomes(queue, options, observer);
		this.admission = new JobAdmission(queue, endpoints, outcomes, options, cancelled, leases, earlyWrites,
				unhandled);
		this.handlerRun = new HandlerRun(queue, outcomes, watchdog, abandoned,
				new SlowTaskLog(options.slowTaskThreshold()));
	}

	/**
	 * Whether the job starts without blocking: its handler here is asynchronous and no
	 * concurrency lease must be taken (a Redis call) before it.
	 */
	boolean startsWithoutBlocking(Map<String, String> fields) {
		return this.admission.startsWithoutBlocking(fields);
	}

	/**
	 * @param execution the run, registered with the container
	 * @param fields the entry's fields
	 * @param deliveries how often this entry has been delivered, 1 on first delivery
	 */
	CompletionStage<Outcome> process(Execution execution, Map<String, String> fields, long deliveries) {
		Admission admission = this.admission.admit(execution, fields, deliveries);
		if (admission instanceof Refused refused) {
			return HandlerRun.completed(refused.outcome());
		}
		return this.handlerRun.run(execution, (Admitted) admission);
	}

}
