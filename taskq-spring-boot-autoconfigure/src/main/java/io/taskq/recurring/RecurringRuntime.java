package io.taskq.recurring;

import java.time.Duration;

import io.taskq.client.JobClient;
import io.taskq.support.redis.KeySpace;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Builds the runtime of recurring jobs for the auto-configuration: the
 * {@link RecurringJobs} API on Redis and the scheduler that fires occurrences. Both are
 * package-private; an application sees the API and the schedule types.
 */
public final class RecurringRuntime {

	/** How late an occurrence may fire and still count as on time, unless configured. */
	public static final Duration DEFAULT_MISFIRE_THRESHOLD = RecurringOptions.DEFAULTS.misfireThreshold();

	private RecurringRuntime() {
	}

	/** The {@link RecurringJobs} of the registry's jobs, with their state in Redis. */
	public static RecurringJobs recurringJobs(StringRedisTemplate redis, KeySpace keys, RecurringJobRegistry registry,
			JobClient jobClient) {
		return new RedisRecurringJobs(redis, keys, registry, jobClient);
	}

	/**
	 * The scheduler that fires the occurrences of the registry's jobs from one thread
	 * while it runs; it starts no thread if the registry is empty.
	 * @param misfireThreshold how late an occurrence may be fired and still count as on
	 * time; later ones follow the job's {@link MisfirePolicy}
	 * @param phase the lifecycle phase, the listeners' so jobs are enqueued while they
	 * run
	 */
	public static SmartLifecycle scheduler(RecurringJobRegistry registry, OccurrenceEnqueuer enqueuer,
			Duration misfireThreshold, int phase) {
		return new RecurringScheduler(registry, enqueuer, new RecurringOptions(misfireThreshold), phase);
	}

}
