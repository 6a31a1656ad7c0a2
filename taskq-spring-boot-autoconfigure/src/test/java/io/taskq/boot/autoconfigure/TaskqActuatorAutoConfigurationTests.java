package io.taskq.boot.autoconfigure;

import io.taskq.boot.actuate.endpoint.TaskqEndpoint;
import io.taskq.boot.autoconfigure.endpoint.TaskqEndpointAutoConfiguration;
import io.taskq.boot.autoconfigure.health.TaskqHealthAutoConfiguration;
import io.taskq.boot.health.TaskqHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health indicator and the endpoint follow Actuator's switches: the endpoint exists
 * only where the application exposes it, and nothing appears without Actuator.
 */
class TaskqActuatorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, TaskqAutoConfiguration.class,
				TaskqHealthAutoConfiguration.class, TaskqEndpointAutoConfiguration.class));

	@Test
	void healthIndicatorIsOnByDefaultAndCanBeSwitchedOff() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(TaskqHealthIndicator.class));
		this.runner.withPropertyValues("management.health.taskq.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskqHealthIndicator.class));
	}

	@Test
	void endpointExistsOnlyWhenExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(TaskqEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=taskq")
			.run((context) -> assertThat(context).hasSingleBean(TaskqEndpoint.class));
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=taskq",
					"management.endpoint.taskq.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskqEndpoint.class));
	}

	@Test
	void nothingWithoutActuator() {
		this.runner
			.withClassLoader(new FilteredClassLoader(HealthIndicator.class,
					org.springframework.boot.actuate.endpoint.annotation.Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=taskq")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TaskqHealthIndicator.class)
				.doesNotHaveBean(TaskqEndpoint.class));
	}

}
