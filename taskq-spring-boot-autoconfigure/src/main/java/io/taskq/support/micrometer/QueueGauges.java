package io.taskq.support.micrometer;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskq.support.QueueStats;
import io.taskq.support.QueueStatsReader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;

/**
 * Per-queue gauges, read from a cache that a background thread refreshes every
 * {@code refreshInterval} with one script call per queue, so a scrape never touches
 * Redis: {@code taskq.queue.ready}, {@code taskq.queue.in.flight},
 * {@code taskq.queue.delayed}, {@code taskq.queue.dead} and
 * {@code taskq.queue.oldest.age} (seconds), tagged with the queue. The queues are those
 * with handlers in this application, known at start. Refreshing pauses while no gauge is
 * read, so an application that nobody scrapes sends no commands for them.
 */
public class QueueGauges implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(QueueGauges.class);

	private final MeterRegistry registry;

	private final QueueStatsReader reader;

	private final Supplier<Set<String>> queues;

	private final Duration refreshInterval;

	private final Map<String, QueueStats> latest = new ConcurrentHashMap<>();

	private @Nullable ScheduledExecutorService scheduler;

	private boolean failing;

	/** When a gauge was last read (a scrape, or a publish to a push registry). */
	private volatile long lastRead;

	public QueueGauges(MeterRegistry registry, QueueStatsReader reader, Supplier<Set<String>> queues,
			Duration refreshInterval) {
		this.registry = registry;
		this.reader = reader;
		this.queues = queues;
		this.refreshInterval = refreshInterval;
	}

	@Override
	public void start() {
		Set<String> queues = this.queues.get();
		for (String queue : queues) {
			this.latest.put(queue, QueueStats.EMPTY);
			gauge("taskq.queue.ready", "Jobs in the stream, waiting or running", queue, QueueStats::ready);
			gauge("taskq.queue.in.flight", "Jobs delivered to a worker and not yet acknowledged", queue,
					QueueStats::inFlight);
			gauge("taskq.queue.lag", "Jobs in the stream not yet delivered to a worker", queue, QueueStats::lag);
			gauge("taskq.queue.delayed", "Jobs waiting for their due time", queue, QueueStats::delayed);
			gauge("taskq.queue.dead", "Jobs in the dead letters", queue, QueueStats::dead);
			gauge("taskq.queue.oldest.age", "Seconds the oldest ready job has waited", queue,
					(stats) -> stats.oldestReadyAgeMillis() / 1000.0);
		}
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "taskq-queue-gauges");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.scheduleWithFixedDelay(this::refresh, 0, this.refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	/** The cached figures of a queue, as the gauges show them. */
	public QueueStats latest(String queue) {
		return this.latest.getOrDefault(queue, QueueStats.EMPTY);
	}

	private void markRead() {
		long now = System.currentTimeMillis();
		boolean wasIdle = now - this.lastRead > 3 * this.refreshInterval.toMillis();
		this.lastRead = now;
		ScheduledExecutorService scheduler = this.scheduler;
		if (wasIdle && scheduler != null) {
			// The first read after a quiet spell gets fresh figures as soon as possible.
			scheduler.execute(this::refresh);
		}
	}

	void refresh() {
		// Nobody has looked for a while: an application without a scraper pays no Redis
		// calls.
		if (System.currentTimeMillis() - this.lastRead > 3 * this.refreshInterval.toMillis()) {
			return;
		}
		try {
			for (String queue : this.latest.keySet()) {
				this.latest.put(queue, this.reader.read(queue));
			}
			if (this.failing) {
				logger.info("Reading queue figures for gauges recovered");
				this.failing = false;
			}
		}
		catch (DataAccessException ex) {
			if (!this.failing) {
				logger.warn("Could not read queue figures for gauges; they keep their last values: "
						+ ex.getMostSpecificCause().getMessage());
				this.failing = true;
			}
		}
		catch (RuntimeException ex) {
			logger.error("Could not read queue figures for gauges", ex);
		}
	}

	private void gauge(String name, String description, String queue, ToDoubleFunction<QueueStats> value) {
		Gauge.builder(name, this.latest, (latest) -> {
			markRead();
			return value.applyAsDouble(latest.getOrDefault(queue, QueueStats.EMPTY));
		}).description(description).tag("queue", queue).register(this.registry);
	}

}
