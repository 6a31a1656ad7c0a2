package io.taskq.boot.autoconfigure.endpoint;

import io.taskq.boot.actuate.endpoint.TaskqEndpoint;
import io.taskq.boot.autoconfigure.TaskqAutoConfiguration;
import io.taskq.boot.autoconfigure.TaskqProperties;
import io.taskq.client.DeadJobs;
import io.taskq.client.QueueControl;
import io.taskq.listener.TaskEndpointRegistry;
import io.taskq.support.QueueStatsReader;
import io.taskq.support.TaskTimings;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.TaskqRedisTemplate;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@code taskq} Actuator endpoint, when Actuator is present and the endpoint is
 * available (exposed and enabled, by the application's own settings).
 */
@AutoConfiguration(after = TaskqAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(QueueStatsReader.class)
@ConditionalOnAvailableEndpoint(TaskqEndpoint.class)
public final class TaskqEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TaskqEndpoint taskqEndpoint(QueueStatsReader stats, DeadJobs deadJobs, QueueControl queueControl,
			TaskTimings timings, RedisConnectionFactory connectionFactory, KeySpace keys,
			TaskEndpointRegistry endpoints, TaskqProperties properties) {
		return new TaskqEndpoint(stats, deadJobs, queueControl, timings, new TaskqRedisTemplate(connectionFactory),
				keys, endpoints::queues, properties.isShowPayloads());
	}

}
