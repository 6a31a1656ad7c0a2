package io.taskq.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

import io.taskq.testing.RedisServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an embedded {@code redis-server} when the application names no Redis and none
 * answers on localhost:6379, so the sample runs on a machine with only a JDK. The server
 * stops with the JVM.
 */
class EmbeddedRedisStarter implements ApplicationListener<ApplicationEvent> {

	private static final Log logger = LogFactory.getLog(EmbeddedRedisStarter.class);

	private static final String[] CONNECTION_PROPERTIES = { "spring.data.redis.url", "spring.data.redis.host",
			"spring.data.redis.port", "spring.data.redis.sentinel.master", "spring.data.redis.cluster.nodes" };

	private @Nullable RedisServer redis;

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			startIfNeeded(prepared.getEnvironment());
		}
		else if (event instanceof ApplicationPreparedEvent prepared && this.redis != null) {
			// Stopped as a bean, after the taskq listeners have drained, not by a JVM
			// hook
			// racing with the application's shutdown.
			RedisServer redis = this.redis;
			((DefaultListableBeanFactory) prepared.getApplicationContext().getBeanFactory())
				.registerDisposableBean("embeddedRedis", redis::close);
		}
		else if (event instanceof ApplicationFailedEvent && this.redis != null) {
			this.redis.close();
		}
	}

	private void startIfNeeded(ConfigurableEnvironment environment) {
		int probePort = environment.getProperty("sample.redis-probe-port", Integer.class, 6379);
		if (!environment.getProperty("sample.embedded-redis", Boolean.class, true) || isConfigured(environment)
				|| isListening("localhost", probePort)) {
			return;
		}
		RedisServer redis = RedisServer.start().withoutShutdownHook();
		this.redis = redis;
		logger.info("No Redis configured and none on localhost:6379: started embedded " + redis.executable()
				+ " on port " + redis.port());
		environment.getPropertySources()
			.addFirst(new MapPropertySource("embeddedRedis",
					Map.of("spring.data.redis.host", redis.host(), "spring.data.redis.port", redis.port())));
	}

	private static boolean isConfigured(ConfigurableEnvironment environment) {
		for (String property : CONNECTION_PROPERTIES) {
			if (environment.containsProperty(property)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isListening(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 300);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
