package io.taskq.listener;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.taskq.listener.adapter.TaskEndpoint;
import io.taskq.support.JobMessage;
import io.taskq.support.redis.QueueKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * What becomes of a job fetched by an instance that has no handler for its task on its
 * queue (issue 16, point 15). In a rolling deploy, producers of a new task often start
 * before every worker has its handler; dead-lettering such jobs at once, as taskq did,
 * piled them up as dead. Instead the job is deferred: back to the delayed set, not
 * counted as an attempt, to be fetched again, here or by another instance, until one with
 * the handler takes it. It goes to the dead letters only once the grace time
 * ({@code taskq.unhandled-task-grace}) has passed since an instance first found it
 * without a handler. That time travels with the job ({@link JobMessage#unhandledSince()})
 * so deferrals do not reset it; a grace of zero dead-letters at once.
 * <p>
 * How long a deferral waits depends on the {@link HandledTasks registry}: a few seconds
 * when another instance said lately that it handles the task (one of its next fetches
 * takes the job; with a share {@code f} of the instances having the handler, a job is
 * deferred about {@code 1/f} times), longer when none did, so that a flood of jobs for a
 * task no instance has yet does not cycle through Redis every few seconds for the whole
 * grace time. Every wait is jittered, so deferred jobs spread over the fetches of all
 * instances, and ends by the grace time at the latest.
 * <p>
 * The registry never makes a job die sooner: a task that no instance handles yet is just
 * what a new task looks like while its workers are being deployed, and the registry
 * cannot tell it from a misspelt one. It names the instances and tasks in the log line
 * and in the dead letter's reason.
 * <p>
 * Round trips: the deferral or dead letter itself (one script call per job, as for a
 * retry) and one registry read per queue every {@link #SNAPSHOT_TTL_NANOS} at most while
 * such jobs come. None for a job whose handler is here: it never gets this far.
 */
final class UnhandledJobs {

	private static final Log logger = LogFactory.getLog(UnhandledJobs.class);

	/**
	 * Shortest wait when another instance handles the task; the longest is twice it.
	 * While the instances with the handler have free slots a job is deferred about
	 * {@code 1/f} times however long it waits, so a short wait costs Redis nothing more
	 * and runs the job sooner.
	 */
	static final long NEAR_WAIT_MILLIS = 1000;

	/** Shortest wait when no instance handles the task; the longest is twice it. */
	static final long FAR_WAIT_MILLIS = 15_000;

	/** How long a read of the registry is used for. */
	private static final long SNAPSHOT_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);

	/** Bounds the memory of tasks already logged, should producers send junk names. */
	private static final int MAX_WARNED_TASKS = 1000;

	/** Most handled tasks a log line or a reason lists. */
	private static final int MAX_LISTED = 10;

	private final QueueKeys keys;

	private final HandledTasks registry;

	private final long graceMillis;

	/** Tasks whose waiting jobs were logged: once per task, not per job. */
	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	private HandledTasks.@Nullable Snapshot snapshot;

	private long snapshotReadAt;

	UnhandledJobs(QueueKeys keys, HandledTasks registry, Duration grace) {
		this.keys = keys;
		this.registry = registry;
		this.graceMillis = grace.toMillis();
	}

	/**
	 * Defers a job that has no handler here, unless its grace time is over.
	 * @param elsewhere this instance's handler of the task, on another queue, if any
	 * @return the deferral, or {@code null} when the job goes to the dead letters
	 */
	Outcome.@Nullable Deferred defer(String entryId, JobMessage job, @Nullable TaskEndpoint elsewhere) {
		long now = System.currentTimeMillis();
		long since = (job.unhandledSince() > 0) ? job.unhandledSince() : now;
		long deadline = since + this.graceMillis;
		if (now >= deadline) {
			return null;
		}
		HandledTasks.Snapshot snapshot = snapshot();
		HandledTasks.Handler handler = snapshot.live(job.task());
		warnOnce(job, elsewhere, snapshot, handler);
		long wait = (handler != null) ? nearWait(now - since) : FAR_WAIT_MILLIS;
		long dueAt = Math.min(deadline, now + wait + ThreadLocalRandom.current().nextLong(wait + 1));
		return new Outcome.Deferred(entryId, job.withUnhandledSince(since), dueAt);
	}

	/**
	 * The wait while another instance handles the task: short at first, then an eighth of
	 * the time waited so far, up to the far wait. A job still fetched by instances
	 * without the handler after a while is one of a backlog that keeps the instances with
	 * it busy; it would not run sooner, and every turn costs Redis a deferral.
	 */
	private static long nearWait(long waited) {
		return Math.max(NEAR_WAIT_MILLIS, Math.min(FAR_WAIT_MILLIS, waited / 8));
	}

	/** The job as it goes to the dead letters: with the time it was first found. */
	JobMessage asDead(JobMessage job) {
		return (job.unhandledSince() > 0) ? job : job.withUnhandledSince(System.currentTimeMillis());
	}

	/**
	 * Why a job whose grace time is over goes to the dead letters: the task, the queue,
	 * how long it waited, who handles what, and the fix.
	 */
	String deadReason(JobMessage job, @Nullable TaskEndpoint elsewhere) {
		long waited = (job.unhandledSince() > 0) ? System.currentTimeMillis() - job.unhandledSince() : 0;
		HandledTasks.Snapshot snapshot = snapshot();
		StringBuilder reason = new StringBuilder(noHandler(job, elsewhere));
		if (this.graceMillis == 0) {
			reason.append(": dead at once, as taskq.unhandled-task-grace is 0");
		}
		else {
			reason.append(": waited ")
				.append(Durations.describe(waited))
				.append(" for an instance that has one (taskq.unhandled-task-grace is ")
				.append(Durations.describe(this.graceMillis))
				.append(")");
		}
		reason.append("; ").append(whoHandles(job.task(), snapshot));
		reason.append("; tasks handled on this queue: ").append(snapshot.describeLive(MAX_LISTED));
		reason.append("; deploy a handler for '")
			.append(job.task())
			.append("' on queue '")
			.append(this.keys.queue())
			.append("' (or enqueue the task to the queue its handler listens on), then retry the dead job");
		return reason.toString();
	}

	private void warnOnce(JobMessage job, @Nullable TaskEndpoint elsewhere, HandledTasks.Snapshot snapshot,
			HandledTasks.@Nullable Handler handler) {
		if (this.warned.size() >= MAX_WARNED_TASKS || !this.warned.add(job.task())) {
			return;
		}
		logger.warn("Task '" + job.task() + "' of queue '" + this.keys.queue() + "' has no handler on this instance"
				+ listensElsewhere(elsewhere) + ": its jobs go back to wait for an instance that has one, without"
				+ " spending attempts, and to the dead letters after " + Durations.describe(this.graceMillis)
				+ " (taskq.unhandled-task-grace); "
				+ ((handler != null)
						? "handled by '" + handler.consumer() + "' (" + Durations.describe(handler.ageMillis())
								+ " ago)"
						: whoHandles(job.task(), snapshot) + "; tasks handled on this queue: "
								+ snapshot.describeLive(MAX_LISTED)));
	}

	private String noHandler(JobMessage job, @Nullable TaskEndpoint elsewhere) {
		return "no handler for task '" + job.task() + "' on queue '" + this.keys.queue() + "'"
				+ listensElsewhere(elsewhere);
	}

	private static String listensElsewhere(@Nullable TaskEndpoint elsewhere) {
		return (elsewhere != null) ? " (its handler here listens on queue '" + elsewhere.queue() + "')" : "";
	}

	private static String whoHandles(String task, HandledTasks.Snapshot snapshot) {
		if (!snapshot.known()) {
			return "which instances handle it is unknown (Redis did not answer)";
		}
		HandledTasks.Handler live = snapshot.live(task);
		if (live != null) {
			return "instance '" + live.consumer() + "' said " + Durations.describe(live.ageMillis())
					+ " ago that it handles it, but did not take the job in time";
		}
		HandledTasks.Handler last = snapshot.any(task);
		if (last != null) {
			return "no instance reports a handler for it now; the last, '" + last.consumer() + "', did "
					+ Durations.describe(last.ageMillis()) + " ago";
		}
		return "no instance reports a handler for it";
	}

	/** The registry as read at most {@link #SNAPSHOT_TTL_NANOS} ago. */
	private synchronized HandledTasks.Snapshot snapshot() {
		long now = System.nanoTime();
		HandledTasks.Snapshot snapshot = this.snapshot;
		if (snapshot != null && now - this.snapshotReadAt < SNAPSHOT_TTL_NANOS) {
			return snapshot;
		}
		try {
			snapshot = this.registry.read(this.keys);
		}
		catch (DataAccessException ex) {
			// The deferral's own write reports Redis failures.
			snapshot = HandledTasks.Snapshot.UNKNOWN;
		}
		this.snapshot = snapshot;
		this.snapshotReadAt = now;
		return snapshot;
	}

}
