package io.taskq.boot.autoconfigure;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.taskq.delay.DelayedJobPromoter.PromoterOptions;
import io.taskq.listener.ListenerOptions;
import io.taskq.listener.WorkerPool;
import io.taskq.retry.ErrorClassifier;
import io.taskq.retry.JobRecoverer;
import io.taskq.retry.RetryPolicy;
import io.taskq.support.redis.DeadLetterBounds;

import org.springframework.util.StringUtils;

/**
 * Maps {@link TaskqProperties} once into taskq's immutable runtime options.
 */
final class TaskqOptionsMapper {

	private TaskqOptionsMapper() {
	}

	static RetryPolicy retryPolicy(TaskqProperties.Retry retry) {
		return new RetryPolicy(retry.getMaxRetries(), retry.getDelay(), retry.getMultiplier(), retry.getMaxDelay(),
				retry.getJitter());
	}

	static ErrorClassifier errorClassifier(TaskqProperties.Retry retry) {
		return ErrorClassifier.defaults().withNotRetryableExceptions(retry.getNotRetryableExceptions());
	}

	static PromoterOptions promoterOptions(TaskqProperties.Delayed delayed) {
		return new PromoterOptions(delayed.getBatchSize(), delayed.getMaxInterval());
	}

	/**
	 * @param commandTimeout the Redis client's command timeout; a blocking read must end
	 * before it or Lettuce reports a timeout for every idle poll
	 * @param errorClassifier which errors are never retried
	 * @param recoverer what becomes of jobs that failed for the last time
	 */
	static ListenerOptions listenerOptions(TaskqProperties properties, Duration commandTimeout,
			ErrorClassifier errorClassifier, JobRecoverer recoverer) {
		Map<String, Integer> queueConcurrency = new LinkedHashMap<>();
		properties.getQueues().forEach((queue, settings) -> {
			if (settings.getConcurrency() != null) {
				queueConcurrency.put(queue, settings.getConcurrency());
			}
		});
		Duration pollTimeout = properties.getPollTimeout();
		Duration ceiling = commandTimeout.minusMillis(Math.min(1000, commandTimeout.toMillis() / 4));
		if (!commandTimeout.isZero() && pollTimeout.compareTo(ceiling) > 0) {
			pollTimeout = ceiling;
		}
		String consumerName = StringUtils.hasText(properties.getConsumerName()) ? properties.getConsumerName()
				: defaultConsumerName();
		return new ListenerOptions(consumerName, properties.getConcurrency(), queueConcurrency, pollTimeout,
				properties.getVisibilityTimeout(), properties.getShutdownTimeout(), retryPolicy(properties.getRetry()),
				properties.getSlowTaskThreshold(), properties.getConcurrencyWait(), properties.getTracking().getTtl(),
				properties.getUnhandledTaskGrace(), workerPools(properties), errorClassifier, recoverer,
				new DeadLetterBounds(properties.getDeadLetters().getMaxCount(),
						properties.getDeadLetters().getMaxAge()));
	}

	private static List<WorkerPool> workerPools(TaskqProperties properties) {
		List<WorkerPool> pools = new ArrayList<>();
		properties.getPools().forEach((name, pool) -> {
			Integer concurrency = pool.getConcurrency();
			pools.add(new WorkerPool(name, pool.getQueues(), pool.getWeights(),
					(concurrency != null) ? concurrency : properties.getConcurrency()));
		});
		return pools;
	}

	static String defaultConsumerName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "localhost";
		}
		long pid = ManagementFactory.getRuntimeMXBean().getPid();
		return host + "-" + pid + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
	}

}
