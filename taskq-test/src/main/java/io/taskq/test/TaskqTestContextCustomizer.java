package io.taskq.test;

import java.util.LinkedHashMap;
import java.util.Map;

import io.taskq.testing.RedisServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Sets a test context up for one {@link TaskqTest.Mode}. A record, so that test classes
 * with the same mode share a cached context.
 *
 * @param mode how jobs are handled
 */
record TaskqTestContextCustomizer(TaskqTest.Mode mode) implements ContextCustomizer {

	private static final Log logger = LogFactory.getLog(TaskqTestContextCustomizer.class);

	private static final String PROPERTY_SOURCE = "taskqTest";

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		BeanDefinitionRegistry registry = (BeanDefinitionRegistry) context.getBeanFactory();
		Map<String, Object> properties = new LinkedHashMap<>();
		switch (this.mode) {
			case REDIS -> {
				startRedis(context, properties);
				registerQueues(registry);
			}
			case APPLICATION_REDIS -> registerQueues(registry);
			case CAPTURE, INLINE -> {
				// Nothing may reach for a Redis that is not there.
				properties.put("taskq.listener.enabled", "false");
				properties.put("taskq.recurring.enabled", "false");
				RootBeanDefinition jobs = new RootBeanDefinition(CapturedJobs.class);
				jobs.setInstanceSupplier(() -> CapturedJobs.create(context, this.mode == TaskqTest.Mode.INLINE));
				jobs.setPrimary(true);
				registry.registerBeanDefinition("taskqCapturedJobs", jobs);
			}
		}
		if (!properties.isEmpty()) {
			context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
		}
	}

	/**
	 * Starts the server, stopped once the context has closed: as the context's
	 * first-registered disposable bean (destroyed last, after taskq's listeners have
	 * stopped and written what they held), and at JVM exit by a hook that closes the
	 * context first. The server's own exit hook is removed: hooks run concurrently, and
	 * one that stopped Redis while the context closed would make taskq's stop wait for
	 * it.
	 */
	private static void startRedis(ConfigurableApplicationContext context, Map<String, Object> properties) {
		RedisServer redis = RedisServer.start().withoutShutdownHook();
		logger.info("Started " + redis.executable() + " on port " + redis.port() + " for a taskq test context");
		Thread exitHook = new Thread(() -> {
			context.close();
			redis.close();
		}, "taskq-test-redis-stop");
		Runtime.getRuntime().addShutdownHook(exitHook);
		((DefaultListableBeanFactory) context.getBeanFactory()).registerDisposableBean("taskqTestRedisServer", () -> {
			redis.close();
			removeHook(exitHook);
		});
		properties.put("spring.data.redis.url", redis.uri());
		properties.put("spring.data.redis.host", redis.host());
		properties.put("spring.data.redis.port", redis.port());
	}

	/**
	 * A context closed before the JVM exits needs its exit hook no more, nor to be held
	 * by it.
	 */
	private static void removeHook(Thread exitHook) {
		try {
			Runtime.getRuntime().removeShutdownHook(exitHook);
		}
		catch (IllegalStateException ex) {
			// The JVM is exiting: the hook is what closed the context.
		}
	}

	private static void registerQueues(BeanDefinitionRegistry registry) {
		registry.registerBeanDefinition("taskqTestJobQueues", new RootBeanDefinition(TestJobQueues.class));
	}

}
