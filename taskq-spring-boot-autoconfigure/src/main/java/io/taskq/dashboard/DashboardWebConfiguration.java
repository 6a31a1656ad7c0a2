package io.taskq.dashboard;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.client.QueueControl;
import io.taskq.fleet.FleetReader;
import io.taskq.recurring.RecurringJobs;
import io.taskq.support.QueueStatsReader;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.TaskqRedisTemplate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The dashboard's controllers and static files, on the application's Spring MVC. Imported
 * by the auto-configuration when {@code taskq.dashboard.enabled=true}; needs a
 * {@link DashboardSettings} bean and the queues this application knows.
 */
@Configuration(proxyBeanMethods = false)
public class DashboardWebConfiguration {

	/** The uPlot WebJar's files, served under the dashboard's {@code assets/vendor/}. */
	static final String UPLOT = "classpath:/META-INF/resources/webjars/uplot/1.6.30/dist/";

	@Bean
	DashboardQueues taskqDashboardQueues(ObjectProvider<DashboardLocalQueues> local, FleetReader fleet) {
		DashboardLocalQueues queues = local.getIfAvailable();
		Supplier<Collection<String>> names = (queues != null) ? queues : List::of;
		return new DashboardQueues(names, fleet);
	}

	@Bean
	DashboardReadController taskqDashboardReadController(DashboardSettings settings, DashboardQueues queues,
			QueueStatsReader stats, QueueControl queueControl, FleetReader fleet,
			ObjectProvider<RecurringJobs> recurringJobs) {
		return new DashboardReadController(settings, queues, stats, queueControl, fleet, recurringJobs);
	}

	@Bean
	DashboardJobsController taskqDashboardJobsController(DashboardSettings settings,
			RedisConnectionFactory connectionFactory, KeySpace keys, DeadJobs deadJobs, JobClient jobClient) {
		return new DashboardJobsController(settings, new TaskqRedisTemplate(connectionFactory), keys, deadJobs,
				jobClient);
	}

	@Bean
	DashboardControlsController taskqDashboardControlsController(DashboardSettings settings, QueueControl queueControl,
			ObjectProvider<RecurringJobs> recurringJobs) {
		return new DashboardControlsController(settings, queueControl, recurringJobs);
	}

	@Bean
	DashboardPageController taskqDashboardPageController(DashboardSettings settings) {
		return new DashboardPageController(settings);
	}

	@Bean
	DashboardErrors taskqDashboardErrors() {
		return new DashboardErrors();
	}

	@Bean
	WebMvcConfigurer taskqDashboardResources(DashboardSettings settings) {
		return new WebMvcConfigurer() {

			@Override
			public void addResourceHandlers(ResourceHandlerRegistry registry) {
				registry.addResourceHandler(settings.path() + "/assets/vendor/**").addResourceLocations(UPLOT);
				registry.addResourceHandler(settings.path() + "/assets/**")
					.addResourceLocations("classpath:/" + DashboardPageController.STATIC);
			}

		};
	}

	/**
	 * The queues this application handles or configures, which the dashboard shows beside
	 * those the fleet's instances serve.
	 */
	@FunctionalInterface
	public interface DashboardLocalQueues extends Supplier<Collection<String>> {

	}

}
