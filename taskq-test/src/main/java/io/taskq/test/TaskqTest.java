package io.taskq.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sets up taskq for a Spring test context ({@code @SpringBootTest} and the like), as
 * {@code @EmbeddedKafka} does for Kafka. By default it starts a real {@code redis-server}
 * on a free loopback port for the context, points {@code spring.data.redis.*} at it, and
 * stops it once the context has closed (after taskq's listeners have stopped), so the JVM
 * exits at once; {@link TestJobQueues} is then a bean the test can inject.
 * <p>
 * Test classes with the same {@code @TaskqTest} and otherwise the same configuration
 * share one cached context, and so one Redis: clear the queues between tests with
 * {@link TestJobQueues#clear(String...)} when that matters.
 *
 * @see Mode
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface TaskqTest {

	/**
	 * How jobs are handled in the test.
	 * @return the mode, {@link Mode#REDIS} by default
	 */
	Mode mode() default Mode.REDIS;

	/**
	 * How a test context runs taskq.
	 */
	enum Mode {

		/**
		 * Start a {@code redis-server} for the context (the one on the {@code PATH} when
		 * it is 6.2 or later, else the binary shipped with taskq-test) and run jobs as in
		 * production, through the real scripts and listeners.
		 */
		REDIS,

		/**
		 * Use the Redis the application is configured with, for example a Testcontainers
		 * Redis wired by Spring Boot's {@code @ServiceConnection}; start none. Jobs run
		 * as in production, and {@link TestJobQueues} is a bean.
		 */
		APPLICATION_REDIS,

		/**
		 * No Redis: {@link CapturedJobs} replaces the {@code JobClient} and records every
		 * job enqueued (payloads written to JSON, so a payload that cannot be written
		 * still fails at the call) for assertions; nothing runs. Listeners and recurring
		 * jobs are off.
		 */
		CAPTURE,

		/**
		 * No Redis: {@link CapturedJobs} replaces the {@code JobClient}, records every
		 * job and runs its handler in the caller's thread at enqueue, with the payload
		 * written to JSON and read back as the handler's type, so serialization mistakes
		 * still show. Limits: delays and due times are ignored (the job runs at once), a
		 * failure is thrown to the caller instead of retried, and uniqueness, concurrency
		 * keys and timeouts do not apply.
		 */
		INLINE

	}

}
