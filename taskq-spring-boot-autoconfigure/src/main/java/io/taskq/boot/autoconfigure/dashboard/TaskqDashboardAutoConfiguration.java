package io.taskq.boot.autoconfigure.dashboard;

import java.util.TreeSet;

import io.taskq.boot.autoconfigure.TaskqAutoConfiguration;
import io.taskq.boot.autoconfigure.TaskqFleetAutoConfiguration;
import io.taskq.boot.autoconfigure.TaskqProperties;
import io.taskq.boot.autoconfigure.TaskqRecurringAutoConfiguration;
import io.taskq.dashboard.DashboardSettings;
import io.taskq.dashboard.DashboardWebConfiguration.DashboardLocalQueues;
import io.taskq.dashboard.DashboardWebConfiguration;
import io.taskq.fleet.FleetReader;
import io.taskq.listener.TaskEndpointRegistry;
import io.taskq.support.redis.KeySpace;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The dashboard, when {@code taskq.dashboard.enabled=true} in a Spring MVC application.
 */
@AutoConfiguration(after = { TaskqAutoConfiguration.class, TaskqFleetAutoConfiguration.class,
		TaskqRecurringAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(WebMvcConfigurer.class)
@ConditionalOnBooleanProperty("taskq.dashboard.enabled")
@ConditionalOnBean({ KeySpace.class, FleetReader.class })
@EnableConfigurationProperties(TaskqDashboardProperties.class)
@Import(DashboardWebConfiguration.class)
public final class TaskqDashboardAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DashboardSettings taskqDashboardSettings(TaskqDashboardProperties dashboard, TaskqProperties properties) {
		return new DashboardSettings(dashboard.getPath(), dashboard.isReadOnly(), properties.isShowPayloads(),
				dashboard.getRefreshInterval());
	}

	@Bean
	DashboardAnnouncer taskqDashboardAnnouncer(DashboardSettings settings) {
		return new DashboardAnnouncer(settings);
	}

	@Bean
	@ConditionalOnMissingBean
	DashboardLocalQueues taskqDashboardLocalQueues(TaskEndpointRegistry endpoints, TaskqProperties properties) {
		return () -> {
			TreeSet<String> queues = new TreeSet<>(endpoints.queues());
			queues.addAll(properties.getQueues().keySet());
			queues.add(properties.getDefaultQueue());
			return queues;
		};
	}

}
