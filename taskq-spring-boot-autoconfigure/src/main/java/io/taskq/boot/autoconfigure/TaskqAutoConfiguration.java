package io.taskq.boot.autoconfigure;

import java.time.Duration;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.taskq.annotation.TaskHandlerAnnotationBeanPostProcessor;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.client.QueueControl;
import io.taskq.client.RedisClients;
import io.taskq.client.RedisClients.JobClientSettings;
import io.taskq.client.RedisDeadJobs;
import io.taskq.listener.ListenerContainerRegistry;
import io.taskq.listener.ListenerOptions;
import io.taskq.listener.TaskEndpointRegistry;
import io.taskq.retry.DeadLetteringRecoverer;
import io.taskq.retry.ErrorClassifier;
import io.taskq.retry.JobRecoverer;
import io.taskq.support.JacksonPayloadCodec;
import io.taskq.support.JobObserver;
import io.taskq.support.PayloadCodec;
import io.taskq.support.QueueStatsReader;
import io.taskq.support.TaskTimings;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.TaskqRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Auto-configuration of taskq on the application's Redis connection.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@ConditionalOnClass({ RedisConnectionFactory.class, JsonMapper.class })
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@EnableConfigurationProperties(TaskqProperties.class)
public final class TaskqAutoConfiguration {

	/** Lettuce's own default, used when the factory does not say. */
	private static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(60);

	@Bean
	static TaskHandlerAnnotationBeanPostProcessor taskHandlerAnnotationBeanPostProcessor(Environment environment) {
		return new TaskHandlerAnnotationBeanPostProcessor(environment.getProperty("taskq.default-queue", "default"));
	}

	@Bean
	@ConditionalOnMissingBean
	TaskEndpointRegistry taskEndpointRegistry() {
		return new TaskEndpointRegistry();
	}

	@Bean
	@ConditionalOnMissingBean
	KeySpace taskqKeySpace(TaskqProperties properties) {
		return new KeySpace(properties.getKeyPrefix());
	}

	@Bean
	@ConditionalOnMissingBean
	PayloadCodec taskqPayloadCodec(ObjectProvider<JsonMapper> jsonMapper) {
		return new JacksonPayloadCodec(jsonMapper.getIfUnique(() -> JsonMapper.builder().build()));
	}

	@Bean
	@ConditionalOnMissingBean
	JobClient jobClient(RedisConnectionFactory connectionFactory, KeySpace keys, PayloadCodec codec,
			TaskEndpointRegistry endpoints, TaskqProperties properties, ObjectProvider<JobObserver> observers) {
		StringRedisTemplate redis = new TaskqRedisTemplate(connectionFactory);
		TaskqProperties.Capacity capacity = properties.getCapacity();
		JobClientSettings settings = new JobClientSettings(properties.getDefaultQueue(),
				properties.getTracking().getTtl(), properties.getUniqueLockTimeout(),
				properties.getTracking().getPollInterval(), capacity.getMaxMemoryUsage(),
				capacity.getRefreshInterval());
		return RedisClients.jobClient(connectionFactory, redis, keys, codec, endpoints, settings, observer(observers));
	}

	@Bean
	@ConditionalOnMissingBean
	QueueStatsReader taskqQueueStatsReader(RedisConnectionFactory connectionFactory, KeySpace keys) {
		return new QueueStatsReader(new TaskqRedisTemplate(connectionFactory), keys);
	}

	@Bean
	@ConditionalOnMissingBean
	TaskTimings taskqTaskTimings() {
		return new TaskTimings();
	}

	@Bean
	@ConditionalOnMissingBean
	QueueControl queueControl(RedisConnectionFactory connectionFactory, KeySpace keys) {
		return RedisClients.queueControl(new TaskqRedisTemplate(connectionFactory), keys);
	}

	@Bean
	@ConditionalOnMissingBean
	DeadJobs deadJobs(RedisConnectionFactory connectionFactory, KeySpace keys) {
		return new RedisDeadJobs(new TaskqRedisTemplate(connectionFactory), keys);
	}

	@Bean
	@ConditionalOnMissingBean
	ErrorClassifier taskqErrorClassifier(TaskqProperties properties) {
		return TaskqOptionsMapper.errorClassifier(properties.getRetry());
	}

	@Bean
	@ConditionalOnMissingBean
	JobRecoverer taskqJobRecoverer() {
		return new DeadLetteringRecoverer();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "taskq.listener.enabled", matchIfMissing = true)
	ListenerContainerRegistry taskqListenerContainerRegistry(RedisConnectionFactory connectionFactory, KeySpace keys,
			TaskEndpointRegistry endpoints, TaskqProperties properties, ObjectProvider<JobObserver> observers,
			ErrorClassifier errorClassifier, ObjectProvider<JobRecoverer> recoverers) {
		ListenerOptions options = TaskqOptionsMapper.listenerOptions(properties, commandTimeout(connectionFactory),
				errorClassifier, recoverers.getIfUnique(DeadLetteringRecoverer::new));
		return new ListenerContainerRegistry(connectionFactory, new TaskqRedisTemplate(connectionFactory), keys,
				endpoints, options, TaskqOptionsMapper.promoterOptions(properties.getDelayed()), observer(observers));
	}

	/** Every JobObserver bean (metrics, task timings, the user's), in order, as one. */
	private static JobObserver observer(ObjectProvider<JobObserver> observers) {
		return JobObserver.composite(observers.orderedStream().toList());
	}

	/**
	 * Consolidated flushes on the application's Lettuce connections, when asked for: they
	 * are the application's, shared with everything else that talks to Redis, so taskq
	 * does not change them unless told to.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ClientResourcesBuilderCustomizer.class, FlushConsolidationHandler.class })
	@ConditionalOnBooleanProperty("taskq.redis.consolidate-flushes")
	static class FlushConsolidationConfiguration {

		@Bean
		ClientResourcesBuilderCustomizer taskqFlushConsolidation() {
			return (builder) -> builder.nettyCustomizer(new FlushConsolidatingNettyCustomizer());
		}

	}

	private static Duration commandTimeout(RedisConnectionFactory connectionFactory) {
		if (connectionFactory instanceof LettuceConnectionFactory lettuce) {
			return lettuce.getClientConfiguration().getCommandTimeout();
		}
		return DEFAULT_COMMAND_TIMEOUT;
	}

}
