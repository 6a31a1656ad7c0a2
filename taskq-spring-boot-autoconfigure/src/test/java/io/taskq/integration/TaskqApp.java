package io.taskq.integration;

import java.util.ArrayList;
import java.util.List;

import io.taskq.testing.RedisServer;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a real Spring Boot application (one "instance") against a test Redis server.
 * Several may run at once to play several app instances sharing queues.
 */
final class TaskqApp {

	private TaskqApp() {
	}

	static ConfigurableApplicationContext start(RedisServer redis, Class<?> handlers, Object sharedRecorder,
			String... properties) {
		List<String> all = new ArrayList<>(
				List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
						"spring.main.banner-mode=off", "spring.data.redis.repositories.enabled=false",
						"logging.level.root=WARN", "logging.level.io.taskq=INFO"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(Boot.class, handlers).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.initializers((context) -> context.getBeanFactory().registerSingleton("jobRecorder", sharedRecorder))
			.run();
	}

	@SpringBootApplication(scanBasePackages = "none")
	static class Boot {

	}

}
