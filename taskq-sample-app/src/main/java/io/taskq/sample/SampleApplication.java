package io.taskq.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Starts the sample. With no {@code spring.data.redis.*} settings and nothing listening
 * on localhost:6379 it starts an embedded Redis first ({@link EmbeddedRedisStarter}).
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.addListeners(new EmbeddedRedisStarter());
		application.run(args);
	}

}
