package io.taskq.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskq.listener.TaskEndpointRegistry;
import io.taskq.support.QueueStatsReader;
import io.taskq.support.micrometer.MicrometerJobObserver;
import io.taskq.support.micrometer.QueueGauges;
import io.taskq.support.redis.KeySpace;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of taskq, when the application has a {@link MeterRegistry}.
 */
@AutoConfiguration(after = TaskqAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, KeySpace.class })
public final class TaskqMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MicrometerJobObserver taskqMicrometerJobObserver(MeterRegistry registry) {
		return new MicrometerJobObserver(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	QueueGauges taskqQueueGauges(MeterRegistry registry, QueueStatsReader reader, TaskEndpointRegistry endpoints,
			TaskqProperties properties) {
		return new QueueGauges(registry, reader, endpoints::queues, properties.getMetrics().getRefreshInterval());
	}

}
