package io.taskq.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskq.support.micrometer.MicrometerJobObserver;
import io.taskq.support.micrometer.QueueGauges;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meters exist only when the application has a {@link MeterRegistry}.
 */
class TaskqMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(DataRedisAutoConfiguration.class, TaskqAutoConfiguration.class, TaskqMetricsAutoConfiguration.class));

	@Test
	void recordsMetricsWhenAMeterRegistryExists() {
		this.runner.withUserConfiguration(Registry.class)
			.run((context) -> assertThat(context).hasSingleBean(MicrometerJobObserver.class)
				.hasSingleBean(QueueGauges.class));
	}

	@Test
	void backsOffWithoutAMeterRegistryBean() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(MicrometerJobObserver.class)
			.doesNotHaveBean(QueueGauges.class));
	}

	@Test
	void backsOffWithoutMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerJobObserver.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
