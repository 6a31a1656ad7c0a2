package io.taskq.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Renews the claims of the jobs a container holds, on a thread of its own, so neither a
 * fetcher blocked in a read nor a slow Redis call of another component delays them.
 * <p>
 * Invariant: a job is held from its fetch until its outcome is written (a retry or dead
 * letter Redis refuses for a while included), and while it is held its claim is renewed
 * every {@link ListenerOptions#claimRefreshInterval()}, a sixth of the visibility
 * timeout. So a claim lapses, and another instance may run the job, only when renewals
 * fail for a whole visibility timeout: five in a row.
 */
final class ClaimKeeper {

	private static final Log logger = LogFactory.getLog(ClaimKeeper.class);

	private final List<QueueLane> lanes;

	private final long intervalMillis;

	private final ScheduledExecutorService timer;

	ClaimKeeper(String name, List<QueueLane> lanes, Duration interval) {
		this.lanes = lanes;
		this.intervalMillis = interval.toMillis();
		this.timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "taskq-" + name + "-claims");
			thread.setDaemon(true);
			return thread;
		});
	}

	void start() {
		this.timer.scheduleWithFixedDelay(this::renew, this.intervalMillis, this.intervalMillis, TimeUnit.MILLISECONDS);
	}

	/** Stops renewing; called once the container holds no job it will settle. */
	void stop() {
		this.timer.shutdownNow();
	}

	private void renew() {
		for (QueueLane lane : this.lanes) {
			try {
				lane.renewClaims();
			}
			catch (RuntimeException ex) {
				// A scheduled task that throws is never run again.
				logger.error("Unexpected failure renewing the claims of queue '" + lane.queue() + "'", ex);
			}
		}
	}

}
