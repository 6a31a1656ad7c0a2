package io.taskq.sample;

import java.util.Arrays;

import io.taskq.bench.BenchCommand;
import io.taskq.bench.BenchWorkerApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Starts the sample. With no {@code spring.data.redis.*} settings and nothing listening
 * on localhost:6379 it starts an embedded Redis first ({@link EmbeddedRedisStarter}).
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("bench")) {
			BenchCommand.main(Arrays.copyOfRange(args, 1, args.length));
			return;
		}
		if (args.length > 0 && args[0].equals("bench-worker")) {
			BenchWorkerApplication.main(Arrays.copyOfRange(args, 1, args.length));
			return;
		}
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.addListeners(new EmbeddedRedisStarter());
		application.run(args);
	}

}
