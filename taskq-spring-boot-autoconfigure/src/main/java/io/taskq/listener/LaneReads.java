package io.taskq.listener;

import io.taskq.retry.OutageBackoff;
import io.taskq.support.redis.QueueKeys;
import io.taskq.support.redis.StreamScripts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

/**
 * How a queue's reads fare: a failed read (or reclaim) makes the queue back off alone,
 * its first failure logged once without a stack trace unless it is not Redis's, and a
 * consumer group lost with Redis's data is made again at once.
 */
final class LaneReads {

	private static final Log logger = LogFactory.getLog(LaneReads.class);

	private final QueueKeys keys;

	private final StreamScripts streams;

	private final OutageBackoff backoff;

	/** When a read may be tried again after a failure (epoch millis). */
	private volatile long retryAt;

	LaneReads(QueueKeys keys, StreamScripts streams) {
		this.keys = keys;
		this.streams = streams;
		this.backoff = new OutageBackoff(logger, "Reading jobs of queue '" + keys.queue() + "'");
	}

	/** When a read may be tried again after a failure (epoch millis), 0 if at once. */
	long retryAt() {
		return this.retryAt;
	}

	void succeeded() {
		this.backoff.succeeded();
	}

	/**
	 * Records a failed read or reclaim: recreates a consumer group lost with the data, or
	 * backs off.
	 */
	void failed(RuntimeException ex) {
		if (isInterruption(ex)) {
			// The container is stopping: not a failure.
			return;
		}
		if (ex instanceof DataAccessException dataAccess && OutageBackoff.describe(dataAccess).contains("NOGROUP")) {
			try {
				createGroup();
				return;
			}
			catch (DataAccessException createFailure) {
				ex = createFailure;
			}
		}
		if (!(ex instanceof DataAccessException)) {
			logger.error("Unexpected failure reading jobs of queue '" + this.keys.queue() + "'", ex);
		}
		this.retryAt = System.currentTimeMillis() + this.backoff.failed(ex).toMillis();
	}

	/**
	 * Creates the consumer group (and the stream) if missing: a group lost with the data
	 * is made again.
	 */
	void createGroup() {
		if (this.streams.createGroup(this.keys)) {
			logger.info("Created consumer group of queue '" + this.keys.queue() + "'");
		}
	}

	private static boolean isInterruption(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof InterruptedException) {
				return true;
			}
		}
		return false;
	}

}
