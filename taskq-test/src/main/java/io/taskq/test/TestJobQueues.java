package io.taskq.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import io.taskq.listener.TaskEndpointRegistry;
import io.taskq.recurring.OccurrenceEnqueuer;
import io.taskq.recurring.RecurringJobRegistry;
import io.taskq.support.PayloadCodec;
import io.taskq.support.QueueStats;
import io.taskq.support.QueueStatsReader;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.QueueKeys;
import io.taskq.support.redis.TaskqScript;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * What a test needs of taskq's queues in a context that runs jobs on Redis: wait until
 * queues are idle, make time pass for delayed jobs and retries, list what is queued,
 * delayed or dead, and clear queues between tests. A bean in {@link TaskqTest} contexts
 * of the Redis modes; it works for every job, tracked or not.
 * <p>
 * Methods that take queues use, when given none, the queues of this application's
 * handlers and the default queue.
 */
public class TestJobQueues {

	/** How long {@link #awaitIdle(String...)} and {@link #drain(String...)} wait. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private static final RedisScript<Long> MOVE_DUE = TaskqScript.load(TestJobQueues.class, "move-due.lua", Long.class);

	private static final RedisScript<Long> DUE_COUNT = TaskqScript.load(TestJobQueues.class, "due-count.lua",
			Long.class);

	private static final long POLL_MILLIS = 20;

	private final StringRedisTemplate redis;

	private final KeySpace keys;

	private final TaskEndpointRegistry endpoints;

	private final DeadJobs deadJobs;

	private final QueueStatsReader stats;

	private final QueueListing listing;

	private final String defaultQueue;

	private final RecurringFastForward recurring;

	public TestJobQueues(RedisConnectionFactory connectionFactory, KeySpace keys, TaskEndpointRegistry endpoints,
			DeadJobs deadJobs, QueueStatsReader stats, PayloadCodec codec, Environment environment,
			ObjectProvider<RecurringJobRegistry> recurringJobs) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keys = keys;
		this.endpoints = endpoints;
		this.deadJobs = deadJobs;
		this.stats = stats;
		this.listing = new QueueListing(this.redis, keys, codec);
		this.defaultQueue = environment.getProperty("taskq.default-queue", "default");
		this.recurring = new RecurringFastForward(recurringJobs.getIfAvailable(),
				new OccurrenceEnqueuer(this.redis, keys));
	}

	/**
	 * Waits until the queues are idle: no job ready, running, or delayed and already due.
	 * Jobs delayed into the future (a retry waiting for its backoff, say) do not count.
	 * @param queues the queues, or none for all of this application's
	 * @throws AssertionError naming what is still there after {@link #DEFAULT_TIMEOUT}
	 */
	public void awaitIdle(String... queues) {
		awaitIdle(DEFAULT_TIMEOUT, queues);
	}

	/**
	 * Waits until the queues are idle, as {@link #awaitIdle(String...)} does.
	 * @param timeout how long to wait at most
	 * @param queues the queues, or none for all of this application's
	 */
	public void awaitIdle(Duration timeout, String... queues) {
		Set<String> names = queues(queues);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			String busy = busy(names);
			if (busy == null) {
				return;
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new AssertionError("Queues not idle after " + timeout + ": " + busy);
			}
			pause();
		}
	}

	/**
	 * Runs everything there is to run, delayed jobs and retries included, as if time
	 * passed until no job is left waiting: makes every delayed job due and waits until
	 * idle, again and again while jobs (a retry, a follow-up) are delayed. A job that
	 * always fails ends in the dead letters after its retries.
	 * @param queues the queues, or none for all of this application's
	 * @throws AssertionError if jobs are still there after {@link #DEFAULT_TIMEOUT}
	 */
	public void drain(String... queues) {
		Set<String> names = queues(queues);
		long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
		while (true) {
			runDelayedNow(names.toArray(String[]::new));
			awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), names.toArray(String[]::new));
			if (names.stream().allMatch((queue) -> this.stats.read(queue).delayed() == 0)) {
				return;
			}
		}
	}

	/**
	 * Makes time pass: every due time of a delayed job or retry moves this much earlier,
	 * and every occurrence of a recurring schedule within the span is fired, on time and
	 * in order. What is then due is promoted and run by the real scripts and listeners
	 * ("three days later" happens now). Due times kept in tracked jobs' status records
	 * are not moved.
	 * @param amount how much time passes
	 * @param queues the queues whose delayed jobs move, or none for all of this
	 * application's; recurring schedules move whatever their queue
	 * @return how many delayed jobs are now due plus how many recurring occurrences were
	 * enqueued
	 * @throws IllegalArgumentException if a schedule would fire more than 1,000 times
	 */
	public long advanceTime(Duration amount, String... queues) {
		if (amount.isNegative()) {
			throw new IllegalArgumentException("Time only moves forward: " + amount);
		}
		long due = moveDue(amount.toMillis(), queues);
		return due + this.recurring.advance(amount);
	}

	/**
	 * Makes every delayed job and retry of the queues due now; they are then promoted and
	 * run by the real scripts and listeners.
	 * @param queues the queues, or none for all of this application's
	 * @return how many delayed jobs are now due
	 */
	public long runDelayedNow(String... queues) {
		return moveDue(-1, queues);
	}

	/** The queue's jobs not finished yet, ready or running, oldest first. */
	public List<QueuedJob> queued(String queue) {
		return this.listing.queued(queue);
	}

	/** The queue's delayed jobs and retries, soonest first. */
	public List<QueuedJob> delayed(String queue) {
		return this.listing.delayed(queue);
	}

	/** The queue's dead jobs, most recent first. */
	public List<DeadJob> dead(String queue) {
		return this.deadJobs.list(queue, 0, Integer.MAX_VALUE);
	}

	/** A job's payload read as the given type, as its handler would read it. */
	public <T> @Nullable T payload(QueuedJob job, Class<T> type) {
		return this.listing.payload(job, type);
	}

	/**
	 * Removes every job of the queues (ready, running, delayed, dead) and what taskq
	 * keeps about them (status records, uniqueness locks, leases, cancellations, the
	 * pause flag), keeping the consumer group. Call it while the queues are idle: a job
	 * that is running finishes, and its outcome is written.
	 * @param queues the queues, or none for all of this application's
	 */
	public void clear(String... queues) {
		for (String queue : queues(queues)) {
			this.listing.clear(queue);
		}
		if (queues.length == 0) {
			// Every queue's recurring state is gone: the schedules start from the clock.
			this.recurring.reset();
		}
	}

	private long moveDue(long shiftMillis, String... queues) {
		long due = 0;
		for (String queue : queues(queues)) {
			QueueKeys queueKeys = this.keys.queue(queue);
			Long moved = this.redis.execute(MOVE_DUE, List.of(queueKeys.delayed()), Long.toString(shiftMillis),
					queueKeys.wakeChannel());
			due += (moved != null) ? moved : 0;
		}
		return due;
	}

	/**
	 * What keeps the queues busy, or {@code null} if they are idle. Due jobs are counted
	 * before the stream is read: a job moves from the delayed set to the stream, never
	 * back, so one promoted between the two reads is seen by the second.
	 */
	private @Nullable String busy(Set<String> queues) {
		List<String> busy = new ArrayList<>();
		for (String queue : queues) {
			Long due = this.redis.execute(DUE_COUNT, List.of(this.keys.queue(queue).delayed()));
			long dueNow = (due != null) ? due : 0;
			QueueStats figures = this.stats.read(queue);
			if (figures.ready() > 0 || dueNow > 0) {
				busy.add("'" + queue + "' has " + figures.lag() + " ready, " + figures.inFlight() + " running, "
						+ dueNow + " delayed and due");
			}
		}
		return busy.isEmpty() ? null : String.join("; ", busy);
	}

	/**
	 * The given queues, or those of this application's handlers (the default queue when
	 * there are none): a queue no handler here reads would never be idle.
	 */
	private Set<String> queues(String... queues) {
		if (queues.length > 0) {
			return new TreeSet<>(Arrays.asList(queues));
		}
		Set<String> all = new TreeSet<>(this.endpoints.queues());
		if (all.isEmpty()) {
			all.add(this.defaultQueue);
		}
		return all;
	}

	private static void pause() {
		try {
			Thread.sleep(POLL_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for queues to be idle", ex);
		}
	}

}
