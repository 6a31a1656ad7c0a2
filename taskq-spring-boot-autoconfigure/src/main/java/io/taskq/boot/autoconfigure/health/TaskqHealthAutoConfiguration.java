package io.taskq.boot.autoconfigure.health;

import io.taskq.boot.autoconfigure.TaskqAutoConfiguration;
import io.taskq.boot.autoconfigure.TaskqProperties;
import io.taskq.boot.health.TaskqHealthIndicator;
import io.taskq.listener.TaskEndpointRegistry;
import io.taskq.support.QueueStatsReader;
import io.taskq.support.redis.TaskqRedisTemplate;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@code taskq} health indicator, with Spring Boot's health support present.
 */
@AutoConfiguration(after = TaskqAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(QueueStatsReader.class)
@ConditionalOnEnabledHealthIndicator("taskq")
public final class TaskqHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "taskqHealthIndicator")
	TaskqHealthIndicator taskqHealthIndicator(QueueStatsReader reader, RedisConnectionFactory connectionFactory,
			TaskEndpointRegistry endpoints, TaskqProperties properties) {
		TaskqProperties.Health health = properties.getHealth();
		return new TaskqHealthIndicator(reader, new TaskqRedisTemplate(connectionFactory), endpoints::queues,
				health.getMaxWait(), health.getMaxMemoryUsage(), health.getDegradedStatus());
	}

}
