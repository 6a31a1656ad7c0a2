package io.taskq.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskq.JobContext;
import io.taskq.JobId;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.support.JobObserver;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Taking over jobs a dead consumer left pending: worker slots stay exact whatever a user
 * hook does, and entries this instance still runs are not counted as new deliveries.
 */
class ReclaimIntegrationTests {

	private static final String STREAM = "taskq:{default}:stream";

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final JobRecorder recorder = new JobRecorder();

	/**
	 * Issue 16, point 1: an observer that threw inside the reclaim over-released slots.
	 */
	@Test
	void throwingReclaimObserverKeepsSlotsExactAndRunsEveryJobOnce() {
		List<JobId> ids = new ArrayList<>();
		try (ConfigurableApplicationContext producer = TaskqApp.start(redis.server(), SlowHandlers.class, this.recorder,
				"taskq.listener.enabled=false")) {
			List<JobRequest> requests = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				requests.add(JobRequest.of("slow", 150));
			}
			ids.addAll(producer.getBean(JobClient.class).enqueueAll(requests));
		}
		// A consumer that takes every job and dies without finishing any.
		redis.server().command("XREADGROUP", "GROUP", "taskq", "ghost", "COUNT", "100", "STREAMS", STREAM, ">");
		try (ConfigurableApplicationContext app = TaskqApp.start(redis.server(), ThrowingObserverConfig.class,
				this.recorder, "taskq.concurrency=2", "taskq.visibility-timeout=1s")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.distinctJobs() == ids.size());
			assertThat(ThrowingObserverConfig.calls.get()).isGreaterThanOrEqualTo(2);
			assertThat(this.recorder.maxRunning()).isLessThanOrEqualTo(2);
			assertThat(this.recorder.duplicates()).isEmpty();
			assertThat(this.recorder.jobIds())
				.containsExactlyInAnyOrderElementsOf(ids.stream().map(JobId::value).toList());
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class SlowHandlers {

		@Autowired
		JobRecorder recorder;

		@TaskHandler("slow")
		void slow(Integer millis, JobContext context) throws InterruptedException {
			this.recorder.started();
			try {
				Thread.sleep(millis);
			}
			finally {
				this.recorder.finished(context.jobId().value());
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThrowingObserverConfig extends SlowHandlers {

		static final AtomicInteger calls = new AtomicInteger();

		@Bean
		JobObserver throwingObserver() {
			return new JobObserver() {

				@Override
				public void reclaimed(String queue, String task) {
					// Every second call throws: the first entry of a pair is dispatched,
					// the second is not.
					if (calls.incrementAndGet() % 2 == 0) {
						throw new IllegalStateException("observer failure");
					}
				}

			};
		}

	}

}
