package io.taskq.listener;

import java.util.List;
import java.util.Map;

import io.taskq.support.redis.ControlScripts;
import io.taskq.support.redis.QueueKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A queue's controls on this instance: its pause flag, and the cancellation of jobs it
 * runs or has yet to start. Both are announced on the queue's channel; since an
 * announcement can be missed (this instance was starting, or cut off), they are also
 * re-read from Redis every half visibility timeout, in one script call.
 */
final class QueueControls {

	private static final Log logger = LogFactory.getLog(QueueControls.class);

	/**
	 * How far back each re-read of cancellations reaches before the previous one, so a
	 * request written while a read ran is not missed.
	 */
	private static final long CONTROLS_OVERLAP_MILLIS = 60_000;

	private final QueueKeys keys;

	private final ControlScripts scripts;

	private final long checkIntervalMillis;

	private final CancelledJobs cancelled;

	/** The jobs held here, whose runs a cancellation interrupts. */
	private final Map<String, Execution> inFlight;

	private volatile boolean paused;

	private long nextCheck;

	/**
	 * Cancellations requested since this time (epoch millis) are read on the next check.
	 */
	private long cancelledSince;

	QueueControls(QueueKeys keys, StringRedisTemplate redis, ListenerOptions options, CancelledJobs cancelled,
			Map<String, Execution> inFlight) {
		this.keys = keys;
		this.scripts = new ControlScripts(redis);
		this.checkIntervalMillis = options.reclaimInterval().toMillis();
		this.cancelled = cancelled;
		this.inFlight = inFlight;
		this.cancelledSince = System.currentTimeMillis() - options.trackingTtl().toMillis();
	}

	boolean isPaused() {
		return this.paused;
	}

	/**
	 * @return whether the flag changed
	 */
	boolean setPaused(boolean paused) {
		if (this.paused == paused) {
			return false;
		}
		logger.info((paused ? "Paused" : "Resumed") + " queue '" + this.keys.queue() + "'");
		this.paused = paused;
		return true;
	}

	/**
	 * Records a cancellation: the job will not start here, and if it runs here now its
	 * handler is interrupted.
	 */
	void cancel(String jobId, long requestedAt) {
		if (!this.cancelled.add(jobId, requestedAt)) {
			return;
		}
		for (Execution execution : this.inFlight.values()) {
			if (jobId.equals(execution.jobId()) && !execution.isSettled()) {
				logger.info("Cancelling job " + jobId + " of queue '" + this.keys.queue() + "' while it runs");
				execution.handler().requestCancel();
			}
		}
	}

	/**
	 * Reads what the queue's channel announces from Redis: the pause flag and recent
	 * cancellations, in case an announcement was missed.
	 * @return the pause flag read, or the current one if Redis could not be read
	 */
	boolean read() {
		long since = this.cancelledSince;
		try {
			long now = System.currentTimeMillis();
			List<?> result = this.scripts.controls(this.keys, since);
			for (int i = 1; i + 1 < result.size(); i += 2) {
				cancel((String) result.get(i), Long.parseLong((String) result.get(i + 1)));
			}
			this.cancelledSince = now - CONTROLS_OVERLAP_MILLIS;
			return ((Number) result.get(0)).longValue() == 1;
		}
		catch (DataAccessException ex) {
			// Keep the current state; the fetch loop reports Redis failures.
			return this.paused;
		}
	}

	/** Whether a re-read is due; if so, the next one is scheduled. */
	boolean checkDue() {
		long now = System.currentTimeMillis();
		if (now < this.nextCheck) {
			return false;
		}
		this.nextCheck = now + this.checkIntervalMillis;
		return true;
	}

}
