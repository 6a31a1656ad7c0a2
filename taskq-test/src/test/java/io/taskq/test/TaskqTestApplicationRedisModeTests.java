package io.taskq.test;

import io.taskq.client.JobClient;
import io.taskq.test.ReminderApplication.Handlers;
import io.taskq.test.ReminderApplication.Reminder;
import io.taskq.testing.RedisServer;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code APPLICATION_REDIS}: taskq runs on the Redis the application is wired to through
 * Spring Boot's {@link DataRedisConnectionDetails}, which is what
 * {@code @ServiceConnection} registers for a Testcontainers Redis; here a bean of it
 * points at a server the test started, and the properties point nowhere.
 */
@SpringBootTest(classes = { ReminderApplication.class, TaskqTestApplicationRedisModeTests.ConnectionDetails.class },
		properties = { "spring.data.redis.port=1", "taskq.shutdown-timeout=1s" })
@TaskqTest(mode = TaskqTest.Mode.APPLICATION_REDIS)
// The Redis is this class's: the context goes with it, rather than wait, cached and
// paused,
// on a Redis that is gone (a stop then waits up to the shutdown timeout).
@DirtiesContext
class TaskqTestApplicationRedisModeTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@Autowired
	JobClient jobs;

	@Autowired
	TestJobQueues queues;

	@Autowired
	Handlers handlers;

	@Test
	void runsJobsOnTheRedisOfTheConnectionDetails() {
		this.jobs.enqueue("reminder.send", new Reminder("ada", "details"));
		this.queues.awaitIdle();
		assertThat(this.handlers.reminded).containsExactly("ada:details");
		assertThat(redis.server().command("EXISTS", "taskq:{default}:stream")).isEqualTo("1");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ConnectionDetails {

		@Bean
		DataRedisConnectionDetails redisConnectionDetails() {
			RedisServer server = redis.server();
			return new DataRedisConnectionDetails() {

				@Override
				public Standalone getStandalone() {
					return Standalone.of(server.host(), server.port());
				}

			};
		}

	}

}
