package io.taskq.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.taskq.delay.DelayedJobPromoter.PromoterOptions;
import io.taskq.delay.DelayedJobPromoter;
import io.taskq.fleet.InstanceDescription.Workers;
import io.taskq.retry.FailedJobWriter;
import io.taskq.support.JobObserver;
import io.taskq.support.QueueControlMessages;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.QueueKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Starts a {@link JobListenerContainer} for every {@link WorkerPool} and a
 * {@link DelayedJobPromoter} for every queue that has handlers, plus one pub/sub
 * subscription that wakes the promoters, and keeps this instance's tasks in the registry
 * of handled tasks ({@link HandledTasksAnnouncer}). Starts late and stops early, so
 * handlers' dependencies are up for as long as jobs run.
 */
public class ListenerContainerRegistry implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ListenerContainerRegistry.class);

	/** Late start, early stop; before the web server's graceful shutdown phase ends. */
	public static final int PHASE = Integer.MAX_VALUE - 1000;

	/**
	 * How long a stop may take past the shutdown timeout, whatever Redis does: the
	 * outcomes of jobs that finished are written and the consumer groups left within it,
	 * or given up on (those jobs stay pending and are reclaimed after the visibility
	 * timeout). A Redis call to a frozen or unreachable server would otherwise wait for
	 * the client's command timeout ({@code spring.data.redis.timeout}, a minute by
	 * default in Lettuce) per call.
	 */
	public static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(5);

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final KeySpace keys;

	private final TaskEndpointRegistry endpoints;

	private final ListenerOptions options;

	private final PromoterOptions promoterOptions;

	private final FailedJobWriter failedJobs;

	private final JobObserver observer;

	private final List<JobListenerContainer> containers = new CopyOnWriteArrayList<>();

	private final Map<String, JobListenerContainer> containersByQueue = new ConcurrentHashMap<>();

	private final List<DelayedJobPromoter> promoters = new ArrayList<>();

	private @Nullable WakeSubscription wakeSubscription;

	private @Nullable HandledTasksAnnouncer announcer;

	private volatile boolean running;

	private volatile long courtesyDeadline = Long.MAX_VALUE;

	public ListenerContainerRegistry(RedisConnectionFactory connectionFactory, StringRedisTemplate redis, KeySpace keys,
			TaskEndpointRegistry endpoints, ListenerOptions options, PromoterOptions promoterOptions,
			JobObserver observer) {
		this.observer = observer;
		this.connectionFactory = connectionFactory;
		this.redis = redis;
		this.keys = keys;
		this.endpoints = endpoints;
		this.options = options;
		this.promoterOptions = promoterOptions;
		this.failedJobs = new FailedJobWriter(redis, options.consumerName(), options.deadLetterBounds(), observer);
	}

	@Override
	public void start() {
		if (this.running) {
			return;
		}
		if (this.endpoints.queues().isEmpty()) {
			this.running = true;
			return;
		}
		RedisVersionCheck.verify(this.redis);
		Map<String, Consumer<String>> handlersByChannel = new HashMap<>();
		Map<QueueKeys, Set<String>> tasksByQueue = new HashMap<>();
		for (WorkerPool pool : this.options.poolsFor(this.endpoints.queues())) {
			JobListenerContainer container = new JobListenerContainer(pool, this.keys, this.options,
					this.connectionFactory, this.redis, this.endpoints, this.failedJobs, this.observer);
			this.containers.add(container);
			for (String queue : pool.queues()) {
				QueueKeys queueKeys = this.keys.queue(queue);
				DelayedJobPromoter promoter = new DelayedJobPromoter(queueKeys, this.redis, this.promoterOptions);
				handlersByChannel.put(queueKeys.wakeChannel(), (message) -> {
					if (message.startsWith(QueueControlMessages.CANCEL_PREFIX)) {
						container.cancel(queue, message.substring(QueueControlMessages.CANCEL_PREFIX.length()));
						return;
					}
					switch (message) {
						case QueueControlMessages.PAUSE -> container.setPaused(queue, true);
						case QueueControlMessages.RESUME -> container.setPaused(queue, false);
						default -> promoter.wake(Long.parseLong(message));
					}
				});
				this.containersByQueue.put(queue, container);
				this.promoters.add(promoter);
				tasksByQueue.put(queueKeys, this.endpoints.tasks(queue));
			}
		}
		this.wakeSubscription = new WakeSubscription(this.connectionFactory, handlersByChannel, () -> {
			this.promoters.forEach((promoter) -> promoter.wake(0));
			this.containers.forEach(JobListenerContainer::checkControls);
		});
		this.announcer = new HandledTasksAnnouncer(new HandledTasks(this.redis, this.options.consumerName()),
				tasksByQueue);
		this.running = true;
		this.announcer.start();
		this.wakeSubscription.start();
		this.containers.forEach(JobListenerContainer::start);
		this.promoters.forEach(DelayedJobPromoter::start);
		for (JobListenerContainer container : this.containers) {
			List<String> queues = container.queues();
			String served = (queues.size() == 1) ? "queue '" + queues.get(0) + "'"
					: "queues " + queues + " in pool '" + container.name() + "'";
			logger.info("taskq listening on " + served + " as consumer '" + this.options.consumerName() + "'");
		}
	}

	/** Stops and returns once stopped; see {@link #stop(Runnable)}. */
	@Override
	public void stop() {
		stop(() -> {
		});
	}

	/**
	 * Stops on threads of its own and calls back once stopped, or at the shutdown timeout
	 * plus {@link #SHUTDOWN_MARGIN} at the latest if Redis holds the stop up: the rest is
	 * abandoned on daemon threads, which keep no JVM alive. Containers drain in parallel,
	 * so the whole stop takes one shutdown timeout, not one per container.
	 * <p>
	 * Unlike a Kafka listener container, it returns only once it calls back. The context
	 * waits for a callback no longer than
	 * {@code spring.lifecycle.timeout-per-shutdown-phase} and not at all once its thread
	 * is interrupted; it would then close the Redis connections the containers still need
	 * to write the outcomes of running jobs, which would run again. An interrupt does not
	 * cut this wait short either; it is kept for the caller.
	 */
	@Override
	public void stop(Runnable callback) {
		if (!this.running) {
			callback.run();
			return;
		}
		this.running = false;
		StopDeadlines deadlines = StopDeadlines.startingNow(this.options.shutdownTimeout());
		this.courtesyDeadline = deadlines.groups();
		List<JobListenerContainer> containers = List.copyOf(this.containers);
		List<DelayedJobPromoter> promoters = List.copyOf(this.promoters);
		HandledTasksAnnouncer announcer = this.announcer;
		if (announcer != null) {
			announcer.stop();
			this.announcer = null;
		}
		WakeSubscription wakeSubscription = this.wakeSubscription;
		this.wakeSubscription = null;
		this.containers.clear();
		this.containersByQueue.clear();
		this.promoters.clear();
		Thread stopper = new Thread(() -> stopAll(containers, promoters, wakeSubscription, deadlines), "taskq-stop");
		stopper.setDaemon(true);
		stopper.start();
		if (!StopDeadlines.join(stopper, deadlines.end())) {
			stopper.interrupt();
			logger.warn("taskq gave up stopping after the shutdown timeout of " + this.options.shutdownTimeout()
					+ " plus " + SHUTDOWN_MARGIN + ": Redis did not answer; jobs whose outcomes were not written"
					+ " stay pending and will be reclaimed after the visibility timeout");
		}
		callback.run();
	}

	private static void stopAll(List<JobListenerContainer> containers, List<DelayedJobPromoter> promoters,
			@Nullable WakeSubscription wakeSubscription, StopDeadlines deadlines) {
		List<Thread> stoppers = new ArrayList<>();
		for (JobListenerContainer container : containers) {
			Thread stopper = new Thread(() -> container.stop(deadlines), "taskq-" + container.name() + "-stop");
			stopper.setDaemon(true);
			stopper.start();
			stoppers.add(stopper);
		}
		// Interrupted, a promoter's Redis call ends at once, even on a frozen server.
		promoters.forEach(DelayedJobPromoter::stop);
		for (Thread stopper : stoppers) {
			if (!StopDeadlines.join(stopper, deadlines.end())) {
				stopper.interrupt();
			}
		}
		// Last: it delivers cancellations of jobs still running until then.
		if (wakeSubscription != null) {
			wakeSubscription.stop();
		}
	}

	@Override
	public boolean isAutoStartup() {
		return true;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Until when ({@link System#nanoTime()}) Redis calls that are only a courtesy may
	 * still be made during the last stop, such as leaving the consumer groups; whatever
	 * stops after the containers keeps to it too, so the whole stop stays within the
	 * shutdown timeout plus {@link #SHUTDOWN_MARGIN}. {@link Long#MAX_VALUE} before a
	 * stop.
	 */
	public long courtesyDeadline() {
		return this.courtesyDeadline;
	}

	/** Whether this instance's container of a queue is paused. */
	public boolean isPaused(String queue) {
		JobListenerContainer container = this.containersByQueue.get(queue);
		return container != null && container.isPaused(queue);
	}

	/**
	 * This instance's workers now, for its heartbeat: the queues served, their slots, and
	 * the slots running a job.
	 */
	public Workers workers() {
		List<String> queues = new ArrayList<>();
		int concurrency = 0;
		int busy = 0;
		for (JobListenerContainer container : this.containers) {
			queues.addAll(container.queues());
			concurrency += container.concurrency();
			busy += container.running();
		}
		return new Workers(queues, concurrency, busy);
	}

	public ListenerOptions options() {
		return this.options;
	}

}
