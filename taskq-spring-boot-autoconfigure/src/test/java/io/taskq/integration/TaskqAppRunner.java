package io.taskq.integration;

import java.util.ArrayList;
import java.util.List;

import io.taskq.testing.RedisServerExtension;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts {@link TaskqApp} instances for the tests of one class: its Redis server, its
 * handlers, its recorder and the properties all its tests share, then each test's own (a
 * later value of a key wins). Immutable, like Spring Boot's
 * {@code ApplicationContextRunner}: {@link #withProperties} returns a new runner.
 */
final class TaskqAppRunner {

	private final RedisServerExtension redis;

	private final Class<?> handlers;

	private final Object recorder;

	private final List<String> properties;

	TaskqAppRunner(RedisServerExtension redis, Class<?> handlers, Object recorder) {
		this(redis, handlers, recorder, List.of());
	}

	private TaskqAppRunner(RedisServerExtension redis, Class<?> handlers, Object recorder, List<String> properties) {
		this.redis = redis;
		this.handlers = handlers;
		this.recorder = recorder;
		this.properties = properties;
	}

	TaskqAppRunner withProperties(String... properties) {
		return new TaskqAppRunner(this.redis, this.handlers, this.recorder, concat(properties));
	}

	/**
	 * Starts one application instance; the caller closes it.
	 * @param properties the test's own properties, on top of the shared ones
	 */
	ConfigurableApplicationContext start(String... properties) {
		return TaskqApp.start(this.redis.server(), this.handlers, this.recorder,
				concat(properties).toArray(String[]::new));
	}

	private List<String> concat(String... properties) {
		List<String> all = new ArrayList<>(this.properties);
		all.addAll(List.of(properties));
		return List.copyOf(all);
	}

}
