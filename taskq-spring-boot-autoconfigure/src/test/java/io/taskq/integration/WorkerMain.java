package io.taskq.integration;

import io.taskq.JobContext;
import io.taskq.annotation.TaskHandler;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * A worker application run as a separate JVM by {@link WorkerProcess}, so tests can kill
 * it for real. Every run of a job is recorded in Redis: {@code test:runs} (a list, one
 * entry per run, to count duplicates) and {@code test:done} (a set of finished job ids).
 */
@SpringBootApplication(scanBasePackages = "none")
public class WorkerMain {

	public static void main(String[] args) {
		new SpringApplicationBuilder(WorkerMain.class, Handlers.class).web(WebApplicationType.NONE).run(args);
	}

	@Component
	static class Handlers {

		private final StringRedisTemplate redis;

		Handlers(StringRedisTemplate redis) {
			this.redis = redis;
		}

		/** Sleeps the payload's milliseconds, then records the run. */
		@TaskHandler("work")
		void work(Integer sleepMillis, JobContext context) throws InterruptedException {
			this.redis.opsForList().rightPush("test:started", context.jobId().value());
			if (sleepMillis > 0) {
				Thread.sleep(sleepMillis);
			}
			this.redis.opsForList().rightPush("test:runs", context.jobId().value());
			this.redis.opsForSet().add("test:done", context.jobId().value());
		}

		/** Like {@code work}, on the queue {@code low}. */
		@TaskHandler(task = "work.low", queue = "low")
		void workLow(Integer sleepMillis, JobContext context) throws InterruptedException {
			work(sleepMillis, context);
		}

		/** Like {@code work}, one at a time per concurrency key across all workers. */
		@TaskHandler(value = "exclusive", concurrencyLimit = "1")
		void exclusive(Integer sleepMillis, JobContext context) throws InterruptedException {
			work(sleepMillis, context);
		}

		/** Records the run of a job with a large payload. */
		@TaskHandler("large")
		void large(String payload, JobContext context) {
			this.redis.opsForList().rightPush("test:runs", context.jobId().value());
			this.redis.opsForSet().add("test:done", context.jobId().value());
		}

		/** Always fails. */
		@TaskHandler("fail")
		void fail(String payload) {
			throw new IllegalStateException("fails every time");
		}

		/** Kills its own JVM, as a native crash or an OOM kill would. */
		@TaskHandler("halt")
		void halt(String payload, JobContext context) {
			this.redis.opsForList().rightPush("test:halts", context.jobId().value());
			Runtime.getRuntime().halt(137);
		}

	}

}
