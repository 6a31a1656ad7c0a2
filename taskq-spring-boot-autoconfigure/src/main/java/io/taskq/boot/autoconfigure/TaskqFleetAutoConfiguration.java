package io.taskq.boot.autoconfigure;

import io.taskq.fleet.FleetReader;
import io.taskq.fleet.FleetRecorder;
import io.taskq.fleet.InstanceDescription.Workers;
import io.taskq.listener.ListenerContainerRegistry;
import io.taskq.support.redis.FleetKeys;
import io.taskq.support.redis.FleetScripts;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.TaskqRedisTemplate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Fleet-wide figures and the instance heartbeat: every instance gathers its run figures
 * in memory and reports them, with its heartbeat, in one script call per
 * {@code taskq.stats.report-interval}; the dashboard reads them back.
 */
@AutoConfiguration(after = TaskqAutoConfiguration.class)
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@ConditionalOnBean(KeySpace.class)
public final class TaskqFleetAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	FleetKeys taskqFleetKeys(KeySpace keys) {
		return new FleetKeys(keys.prefix());
	}

	@Bean
	@ConditionalOnMissingBean
	FleetReader taskqFleetReader(RedisConnectionFactory connectionFactory, FleetKeys keys) {
		return new FleetReader(new TaskqRedisTemplate(connectionFactory), keys);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "taskq.stats.enabled", matchIfMissing = true)
	FleetRecorder taskqFleetRecorder() {
		return new FleetRecorder();
	}

	@Bean
	@ConditionalOnMissingBean(name = "taskqFleetReporter")
	@ConditionalOnBean(FleetRecorder.class)
	SmartLifecycle taskqFleetReporter(FleetRecorder recorder, RedisConnectionFactory connectionFactory, FleetKeys keys,
			TaskqProperties properties, ObjectProvider<ListenerContainerRegistry> listeners) {
		ListenerContainerRegistry registry = listeners.getIfUnique();
		String instanceId = (registry != null) ? registry.options().consumerName()
				: TaskqOptionsMapper.defaultConsumerName();
		return recorder.reporter(new FleetScripts(new TaskqRedisTemplate(connectionFactory), keys), instanceId,
				(registry != null) ? registry::workers : () -> Workers.NONE, properties.getStats().getReportInterval(),
				(registry != null) ? registry::courtesyDeadline : () -> Long.MAX_VALUE);
	}

}
