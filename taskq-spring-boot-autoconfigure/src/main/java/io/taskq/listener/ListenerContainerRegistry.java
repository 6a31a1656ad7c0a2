package io.taskq.listener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.taskq.delay.DelayedJobPromoter;
import io.taskq.delay.DelayedJobPromoter.PromoterOptions;
import io.taskq.delay.WakeSubscription;
import io.taskq.retry.FailedJobWriter;
import io.taskq.support.JobObserver;
import io.taskq.support.KeySpace;
import io.taskq.support.QueueControlMessages;
import io.taskq.support.QueueKeys;
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
		this.failedJobs = new FailedJobWriter(redis, options.consumerName());
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

	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.promoters.forEach(DelayedJobPromoter::stop);
		// Containers drain in parallel, so the whole stop takes one shutdown timeout at
		// most.
		List<Thread> stoppers = new ArrayList<>();
		for (JobListenerContainer container : this.containers) {
			Thread stopper = new Thread(container::stop, "taskq-" + container.name() + "-stop");
			stopper.start();
			stoppers.add(stopper);
		}
		// An interrupt does not cut the wait short: the context would go on to close the
		// connections the containers still need to write the outcomes of running jobs,
		// which would then run again. Each stop is bounded by the shutdown timeout.
		boolean interrupted = false;
		for (Thread stopper : stoppers) {
			while (stopper.isAlive()) {
				try {
					stopper.join();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		HandledTasksAnnouncer announcer = this.announcer;
		if (announcer != null) {
			announcer.stop();
			this.announcer = null;
		}
		WakeSubscription wakeSubscription = this.wakeSubscription;
		if (wakeSubscription != null) {
			wakeSubscription.stop();
			this.wakeSubscription = null;
		}
		this.containers.clear();
		this.containersByQueue.clear();
		this.promoters.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** Whether this instance's container of a queue is paused. */
	public boolean isPaused(String queue) {
		JobListenerContainer container = this.containersByQueue.get(queue);
		return container != null && container.isPaused(queue);
	}

	public ListenerOptions options() {
		return this.options;
	}

}
