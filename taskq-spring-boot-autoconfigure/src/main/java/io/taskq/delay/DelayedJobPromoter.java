package io.taskq.delay;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.taskq.retry.OutageBackoff;
import io.taskq.support.redis.DelayedScripts;
import io.taskq.support.redis.QueueKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * Moves due jobs of one queue from its delayed set into its stream, in batches of one
 * atomic script call each, then sleeps until the next due time. A sooner job scheduled
 * anywhere wakes it through the queue's wake channel ({@link #wake}); {@code maxInterval}
 * bounds the sleep in case such a message is lost while the connection is down.
 * <p>
 * Every instance that listens on the queue runs one; the script makes that safe.
 */
public class DelayedJobPromoter {

	private static final Log logger = LogFactory.getLog(DelayedJobPromoter.class);

	/**
	 * Jobs the first script call of a round promotes. Redis runs nothing else while a
	 * script runs, and a batch of 1,000 takes it about 10 ms, so a small first batch lets
	 * workers start on the first due jobs at once; later batches grow to the configured
	 * size.
	 */
	private static final int FIRST_BATCH = 50;

	private final QueueKeys keys;

	private final DelayedScripts scripts;

	private final PromoterOptions options;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition wakeUp = this.lock.newCondition();

	private final Thread thread;

	/** When this promoter plans to run next, on this JVM's clock (epoch millis). */
	private long nextRunAt;

	/** The earliest wake-up received since the last promotion began. */
	private long pendingWake = Long.MAX_VALUE;

	/** The Redis server clock minus this JVM's, from the last script call. */
	private volatile long clockOffset;

	private volatile boolean running;

	private int failures;

	public DelayedJobPromoter(QueueKeys keys, StringRedisTemplate redis, PromoterOptions options) {
		this.keys = keys;
		this.scripts = new DelayedScripts(redis);
		this.options = options;
		this.thread = new Thread(this::run, "taskq-" + keys.queue() + "-promoter");
		this.thread.setDaemon(true);
	}

	public void start() {
		this.running = true;
		this.thread.start();
	}

	public void stop() {
		this.running = false;
		this.thread.interrupt();
		try {
			this.thread.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Wakes the promoter if a job is due before it planned to run.
	 * @param dueAt the due time on the Redis server's clock (epoch millis)
	 */
	public void wake(long dueAt) {
		long localDueAt = dueAt - this.clockOffset;
		this.lock.lock();
		try {
			this.pendingWake = Math.min(this.pendingWake, localDueAt);
			if (localDueAt < this.nextRunAt) {
				this.nextRunAt = localDueAt;
				this.wakeUp.signal();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void run() {
		while (this.running) {
			this.lock.lock();
			try {
				// A wake-up that arrives while the script runs must not be lost.
				this.pendingWake = Long.MAX_VALUE;
				this.nextRunAt = Long.MAX_VALUE;
			}
			finally {
				this.lock.unlock();
			}
			long sleepUntil = promoteDue();
			this.lock.lock();
			try {
				this.nextRunAt = Math.min(sleepUntil, this.pendingWake);
				long wait;
				while (this.running && (wait = this.nextRunAt - System.currentTimeMillis()) > 0) {
					this.wakeUp.await(wait, TimeUnit.MILLISECONDS);
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	/**
	 * Promotes every due job.
	 * @return when to run next, on this JVM's clock
	 */
	private long promoteDue() {
		int batch = Math.min(FIRST_BATCH, this.options.batchSize());
		try {
			while (true) {
				long sent = System.currentTimeMillis();
				List<?> result = this.scripts.promote(this.keys, batch);
				long promoted = ((Number) result.get(0)).longValue();
				long nextDue = ((Number) result.get(1)).longValue();
				long serverNow = ((Number) result.get(2)).longValue();
				long localNow = System.currentTimeMillis();
				// The script reads the server's clock before it promotes: against the
				// time the call was sent, not the time its reply came back, or a large
				// batch's running time (about 10 ms for 1,000 jobs) would make every
				// wake-up until the next call that much late.
				this.clockOffset = serverNow - sent;
				recovered();
				if (promoted >= batch && this.running) {
					batch = (int) Math.min(this.options.batchSize(), batch * 4L);
					continue;
				}
				long maxSleepUntil = localNow + this.options.maxInterval().toMillis();
				return (nextDue < 0) ? maxSleepUntil : Math.min(maxSleepUntil, nextDue - this.clockOffset);
			}
		}
		catch (DataAccessException ex) {
			if (!this.running) {
				return Long.MAX_VALUE;
			}
			return System.currentTimeMillis() + failed(ex);
		}
	}

	private long failed(DataAccessException ex) {
		if (this.failures++ == 0) {
			logger.warn("Promoting delayed jobs of queue '" + this.keys.queue()
					+ "' failed, retrying with backoff until Redis answers: " + ex.getMostSpecificCause());
		}
		return OutageBackoff.pauseAfter(this.failures).toMillis();
	}

	private void recovered() {
		if (this.failures > 0) {
			logger.info("Promoting delayed jobs of queue '" + this.keys.queue() + "' recovered after " + this.failures
					+ " failed tries");
			this.failures = 0;
		}
	}

	/**
	 * How the promoters run.
	 *
	 * @param batchSize the most jobs one script call promotes
	 * @param maxInterval the longest a promoter sleeps without being woken
	 */
	public record PromoterOptions(int batchSize, Duration maxInterval) {

		public static final PromoterOptions DEFAULTS = new PromoterOptions(1000, Duration.ofSeconds(30));

		public PromoterOptions {
			Assert.isTrue(batchSize > 0, "Delayed batch size must be positive");
			Assert.isTrue(maxInterval.toMillis() > 0, "Delayed max interval must be positive");
		}

	}

}
