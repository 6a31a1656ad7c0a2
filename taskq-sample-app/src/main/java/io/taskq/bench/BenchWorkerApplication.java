package io.taskq.bench;

import java.lang.management.ManagementFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The application the benchmark runs: the real starter with {@link BenchHandlers}, no web
 * server. Started in the benchmark's JVM (producer, latency, delayed) or as a separate
 * worker JVM ({@code bench-worker}).
 */
// Lettuce's per-command Micrometer observations (on whenever Actuator is present) were
// prominent in a JFR profile of a worker; the benchmark measures taskq, so they are off.
@SpringBootApplication(scanBasePackages = "none", excludeName = BenchWorkerApplication.LETTUCE_OBSERVATION)
public class BenchWorkerApplication {

	static final String READY = "bench:ready";

	/** Dozens of workers share one connection: one socket write for many commands. */
	static final String CONSOLIDATE_FLUSHES = "--taskq.redis.consolidate-flushes=true";

	static final String LETTUCE_OBSERVATION = "org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration";

	/**
	 * Lettuce's event-loop threads per JVM, from {@code bench.io-threads} (for example
	 * {@code -Dbench.worker-jvm-args=-Dbench.io-threads=1}); Lettuce's default is one per
	 * core, two at least.
	 */
	@Bean
	@ConditionalOnProperty("bench.io-threads")
	ClientResourcesBuilderCustomizer benchIoThreads(@Value("${bench.io-threads}") int threads) {
		return (builder) -> builder.ioThreadPoolSize(threads);
	}

	@Bean
	BenchHandlers benchHandlers(StringRedisTemplate redis, RedisConnectionFactory connectionFactory) {
		return new BenchHandlers(redis, connectionFactory);
	}

	static ConfigurableApplicationContext start(String host, int port, String... properties) {
		String[] all = new String[properties.length + 8];
		all[0] = "--spring.data.redis.host=" + host;
		all[1] = "--spring.data.redis.port=" + port;
		all[2] = "--spring.main.banner-mode=off";
		all[3] = "--spring.data.redis.repositories.enabled=false";
		all[4] = "--logging.level.root=WARN";
		all[5] = "--spring.main.log-startup-info=false";
		all[6] = "--spring.data.redis.timeout=10s";
		all[7] = CONSOLIDATE_FLUSHES;
		System.arraycopy(properties, 0, all, 8, properties.length);
		return new SpringApplicationBuilder(BenchWorkerApplication.class).web(WebApplicationType.NONE).run(all);
	}

	/**
	 * {@code bench-worker} mode: run jobs until terminated; announce readiness in Redis.
	 */
	public static void main(String[] args) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchWorkerApplication.class)
			.web(WebApplicationType.NONE)
			.listeners((event) -> {
				if (event instanceof ApplicationReadyEvent ready) {
					ready.getApplicationContext()
						.getBean(StringRedisTemplate.class)
						.opsForList()
						.rightPush(READY, Long.toString(ManagementFactory.getRuntimeMXBean().getPid()));
				}
			})
			.run(args);
		context.registerShutdownHook();
	}

}
