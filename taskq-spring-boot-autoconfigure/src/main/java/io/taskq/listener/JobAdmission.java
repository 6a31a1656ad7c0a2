package io.taskq.listener;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import io.taskq.JobId;
import io.taskq.listener.adapter.TaskEndpoint;
import io.taskq.retry.OutageBackoff;
import io.taskq.support.JobControls;
import io.taskq.support.JobMessage;
import io.taskq.support.MalformedJobException;
import io.taskq.support.PayloadReadException;
import io.taskq.support.redis.JobFields;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * Decides whether a delivered entry may run here, before its handler is invoked: decodes
 * it, routes it to its handler, refuses a delivery past the retry limit (its workers kept
 * crashing), skips a cancelled job, reads the payload and takes the concurrency lease. An
 * entry that may not run gets its outcome here: dead, cancelled, or deferred (no free
 * slot of its key, or no handler on this instance).
 * <p>
 * A plain job (no tracking, uniqueness, concurrency key or timeout) costs no Redis call
 * here; a job with a concurrency key costs one.
 */
final class JobAdmission {

	private static final Log logger = LogFactory.getLog(JobAdmission.class);

	private final String queue;

	private final TaskEndpointRegistry endpoints;

	private final JobOutcomes outcomes;

	private final CancelledJobs cancelled;

	private final ConcurrencyLeases leases;

	private final long concurrencyWaitMillis;

	private final Consumer<Outcome> earlyWrites;

	private final UnhandledJobs unhandled;

	/**
	 * @param earlyWrites where writes due before the outcome go (a tracked job's start)
	 * @param unhandled what becomes of jobs whose task has no handler here
	 */
	JobAdmission(String queue, TaskEndpointRegistry endpoints, JobOutcomes outcomes, ListenerOptions options,
			CancelledJobs cancelled, ConcurrencyLeases leases, Consumer<Outcome> earlyWrites, UnhandledJobs unhandled) {
		this.queue = queue;
		this.endpoints = endpoints;
		this.outcomes = outcomes;
		this.cancelled = cancelled;
		this.leases = leases;
		this.concurrencyWaitMillis = options.concurrencyWait().toMillis();
		this.earlyWrites = earlyWrites;
		this.unhandled = unhandled;
	}

	/**
	 * Whether the job starts without blocking: its handler here is asynchronous and no
	 * concurrency lease must be taken (a Redis call) before it.
	 */
	boolean startsWithoutBlocking(Map<String, String> fields) {
		String task = fields.get(JobFields.TASK);
		TaskEndpoint endpoint = (task != null) ? this.endpoints.endpoint(task) : null;
		return endpoint != null && endpoint.queue().equals(this.queue) && endpoint.invoker().isAsync()
				&& endpoint.concurrencyLimit() == 0 && !JobControls.hasConcurrencyControl(fields);
	}

	/**
	 * @param execution the run, registered with the container
	 * @param fields the entry's fields
	 * @param deliveries how often this entry has been delivered, 1 on first delivery
	 * @return the job to run, or the outcome of one that may not run here
	 */
	Admission admit(Execution execution, Map<String, String> fields, long deliveries) {
		String entryId = execution.entryId();
		JobMessage job;
		try {
			job = JobMessage.fromFields(fields);
		}
		catch (MalformedJobException ex) {
			JobMessage placeholder = new JobMessage(JobId.of("entry-" + entryId),
					fields.getOrDefault(JobFields.TASK, "(none)"), null, 0, null, 0, 0, Map.of());
			return refused(this.outcomes.dead(entryId, placeholder,
					"malformed stream entry " + entryId + ": " + ex.getMessage(), ex, 1, null));
		}
		execution.jobId(job.id().value());
		TaskEndpoint endpoint = this.endpoints.endpoint(job.task());
		if (endpoint == null || !endpoint.queue().equals(this.queue)) {
			// Not run here: waits for an instance that has the handler, without
			// spending an attempt, then dies with none spent (issue 16, point 15).
			Outcome.Deferred deferred = this.unhandled.defer(entryId, job, endpoint);
			return refused((deferred != null) ? deferred : this.outcomes.dead(entryId, this.unhandled.asDead(job),
					this.unhandled.deadReason(job, endpoint), null, job.retries(), tracking(job, null, job.retries())));
		}
		int maxRetries = maxRetries(job, endpoint);
		int attempt = job.retries() + (int) deliveries;
		Tracking tracking = tracking(job, endpoint, attempt);
		if (attempt > maxRetries + 1) {
			return refused(this.outcomes.dead(entryId, job,
					"delivered " + deliveries
							+ " times without finishing: the worker running it crashed or was killed each time",
					null, attempt - 1, tracking));
		}
		if (this.cancelled.isCancelled(job.id().value(), HandlerRun.readyAt(entryId))
				|| execution.handler().isCancelRequested()) {
			logger.info("Job " + job.id() + " (" + job.task() + " on queue " + this.queue
					+ ") was cancelled before it started");
			return refused(new Outcome.Cancelled(entryId, tracking));
		}
		Object payload;
		try {
			payload = endpoint.invoker().readPayload(job.payload());
		}
		catch (PayloadReadException ex) {
			return refused(this.outcomes.unreadable(entryId, job, ex, attempt, tracking));
		}
		Type payloadType = endpoint.invoker().payloadType();
		if (payload == null && payloadType != null) {
			// Retrying cannot give the job a payload: the entry is malformed.
			return refused(this.outcomes.dead(entryId, job,
					"malformed job " + job.id() + ": it has no payload, but handler " + endpoint.description()
							+ " takes one of type " + payloadType.getTypeName()
							+ "; enqueue the task with a payload, or drop the handler's payload parameter",
					null, attempt, tracking));
		}
		String concurrencyKey = concurrencyKey(job, endpoint);
		if (concurrencyKey != null) {
			Outcome waiting = acquireLease(execution, job, concurrencyKey, concurrencyLimit(job, endpoint));
			if (waiting != null) {
				return refused(waiting);
			}
			tracking = ((tracking != null) ? tracking
					: new Tracking(job.id().value(), job.task(), attempt, false, null, false, null, false))
				.withLeaseKey(concurrencyKey);
		}
		if (tracking != null && tracking.writesOnStart()) {
			this.earlyWrites.accept(new Outcome.Started(entryId, tracking));
		}
		return new Admission.Admitted(job, endpoint, payload, attempt, maxRetries, tracking,
				timeoutMillis(job, endpoint));
	}

	private static Admission refused(Outcome outcome) {
		return new Admission.Refused(outcome);
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
					+ OutageBackoff.describe(ex));
		}
		long jitter = ThreadLocalRandom.current().nextLong(this.concurrencyWaitMillis / 2 + 1);
		return new Outcome.Deferred(execution.entryId(), job,
				System.currentTimeMillis() + this.concurrencyWaitMillis / 2 + jitter);
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

	private int maxRetries(JobMessage job, TaskEndpoint endpoint) {
		if (job.maxRetries() != null) {
			return job.maxRetries();
		}
		return (endpoint.maxRetries() != null) ? endpoint.maxRetries() : this.outcomes.defaultRetry().maxRetries();
	}

}
