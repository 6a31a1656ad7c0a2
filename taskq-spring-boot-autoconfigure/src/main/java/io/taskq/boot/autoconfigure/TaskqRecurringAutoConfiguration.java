package io.taskq.boot.autoconfigure;

import io.taskq.client.JobClient;
import io.taskq.listener.ListenerContainerRegistry;
import io.taskq.recurring.OccurrenceEnqueuer;
import io.taskq.recurring.RecurringJobRegistry;
import io.taskq.recurring.RecurringJobs;
import io.taskq.recurring.RecurringRuntime;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.TaskqRedisTemplate;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Recurring jobs: the registry that {@code @TaskHandler(cron/every)} methods fill, the
 * {@link RecurringJobs} API, and the scheduler that fires occurrences (it starts no
 * thread while no handler has a schedule).
 */
@AutoConfiguration(after = TaskqAutoConfiguration.class)
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@ConditionalOnBean(KeySpace.class)
public final class TaskqRecurringAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RecurringJobRegistry taskqRecurringJobRegistry() {
		return new RecurringJobRegistry();
	}

	@Bean
	@ConditionalOnMissingBean
	RecurringJobs recurringJobs(RedisConnectionFactory connectionFactory, KeySpace keys, RecurringJobRegistry registry,
			JobClient jobClient) {
		return RecurringRuntime.recurringJobs(new TaskqRedisTemplate(connectionFactory), keys, registry, jobClient);
	}

	@Bean
	@ConditionalOnMissingBean(name = "taskqRecurringScheduler")
	@ConditionalOnBooleanProperty(name = "taskq.recurring.enabled", matchIfMissing = true)
	SmartLifecycle taskqRecurringScheduler(RedisConnectionFactory connectionFactory, KeySpace keys,
			RecurringJobRegistry registry, TaskqProperties properties) {
		return RecurringRuntime.scheduler(registry,
				new OccurrenceEnqueuer(new TaskqRedisTemplate(connectionFactory), keys),
				properties.getRecurring().getMisfireThreshold(), ListenerContainerRegistry.PHASE);
	}

}
