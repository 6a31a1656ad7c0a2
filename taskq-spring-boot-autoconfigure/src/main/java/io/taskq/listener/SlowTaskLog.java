package io.taskq.listener;

import java.time.Duration;

import io.taskq.listener.adapter.TaskEndpoint;
import io.taskq.support.JobMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs one WARN line per job that ran longer than its task's threshold (the handler's
 * {@code slowThreshold}, else {@code taskq.slow-task-threshold}): task, queue, job id,
 * duration and threshold, never the payload, which may hold personal data.
 */
final class SlowTaskLog {

	private static final Log logger = LogFactory.getLog(SlowTaskLog.class);

	private final Duration defaultThreshold;

	SlowTaskLog(Duration defaultThreshold) {
		this.defaultThreshold = defaultThreshold;
	}

	void check(JobMessage job, String queue, TaskEndpoint endpoint, long durationNanos) {
		Duration threshold = (endpoint.slowThreshold() != null) ? endpoint.slowThreshold() : this.defaultThreshold;
		if (durationNanos > threshold.toNanos() && logger.isWarnEnabled()) {
			logger.warn("Slow job " + job.id() + " (" + job.task() + " on queue " + queue + ") took "
					+ Duration.ofNanos(durationNanos).toMillis() + " ms, over its threshold of " + threshold.toMillis()
					+ " ms");
		}
	}

}
