package io.taskq.boot.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.resource.ClientResources;
import io.taskq.JobContext;
import io.taskq.annotation.TaskHandler;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.client.QueueControl;
import io.taskq.client.RedisDeadJobs;
import io.taskq.listener.ListenerContainerRegistry;
import io.taskq.listener.ListenerOptions;
import io.taskq.listener.TaskEndpointRegistry;
import io.taskq.listener.WorkerPool;
import io.taskq.retry.DeadLetteringRecoverer;
import io.taskq.retry.ErrorClassifier;
import io.taskq.retry.JobRecoverer;
import io.taskq.retry.RetryPolicy;
import io.taskq.support.JacksonPayloadCodec;
import io.taskq.support.PayloadCodec;
import io.taskq.support.redis.KeySpace;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Conditions, back-offs and property binding of {@link TaskqAutoConfiguration}. No Redis
 * is needed: nothing connects until a queue has handlers.
 */
class TaskqAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, TaskqAutoConfiguration.class));

	@Test
	void createsEveryBeanOnTheApplicationsRedis() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(JobClient.class)
				.hasSingleBean(QueueControl.class)
				.hasSingleBean(RedisDeadJobs.class)
				.hasSingleBean(ListenerContainerRegistry.class)
				.hasSingleBean(TaskEndpointRegistry.class)
				.hasSingleBean(JacksonPayloadCodec.class);
			assertThat(context.getBean(KeySpace.class).prefix()).isEqualTo("taskq");
		});
	}

	@Test
	void backsOffWhenTheUserDefinesTheirOwnBeans() {
		this.runner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).getBean(JobClient.class).isSameAs(context.getBean(UserBeans.class).client);
			assertThat(context).getBean(DeadJobs.class).isSameAs(context.getBean(UserBeans.class).deadJobs);
			assertThat(context).getBean(PayloadCodec.class).isSameAs(context.getBean(UserBeans.class).codec);
			assertThat(context).hasSingleBean(JobClient.class).hasSingleBean(DeadJobs.class);
		});
	}

	@Test
	void listenerCanBeSwitchedOffForProducerOnlyApplications() {
		this.runner.withPropertyValues("taskq.listener.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ListenerContainerRegistry.class);
			assertThat(context).hasSingleBean(JobClient.class);
		});
	}

	@Test
	void doesNothingWithoutSpringDataRedis() {
		this.runner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.run((context) -> assertThat(context).doesNotHaveBean(JobClient.class)
				.doesNotHaveBean(ListenerContainerRegistry.class));
	}

	@Test
	void bindsEveryPropertyIntoTheRuntimeOptions() {
		this.runner
			.withPropertyValues("taskq.key-prefix=jobs", "taskq.concurrency=4", "taskq.queues.mail.concurrency=2",
					"taskq.poll-timeout=3s", "taskq.visibility-timeout=90s", "taskq.shutdown-timeout=7s",
					"taskq.consumer-name=worker-a", "taskq.retry.max-retries=2", "taskq.retry.delay=2s",
					"taskq.retry.multiplier=3", "taskq.retry.max-delay=10m", "taskq.retry.jitter=0s",
					"taskq.unhandled-task-grace=15m")
			.run((context) -> {
				ListenerOptions options = context.getBean(ListenerContainerRegistry.class).options();
				assertThat(options.consumerName()).isEqualTo("worker-a");
				assertThat(options.concurrency("default")).isEqualTo(4);
				assertThat(options.concurrency("mail")).isEqualTo(2);
				assertThat(options.pollTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(options.visibilityTimeout()).isEqualTo(Duration.ofSeconds(90));
				assertThat(options.shutdownTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(options.unhandledTaskGrace()).isEqualTo(Duration.ofMinutes(15));
				assertThat(options.retry())
					.isEqualTo(new RetryPolicy(2, Duration.ofSeconds(2), 3.0, Duration.ofMinutes(10), Duration.ZERO));
				assertThat(context.getBean(KeySpace.class).queue("mail").stream()).isEqualTo("jobs:{mail}:stream");
			});
	}

	@Test
	void failedJobsAreClassifiedByDefaultAndDeadLettered() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ErrorClassifier.class).hasSingleBean(JobRecoverer.class);
			assertThat(context.getBean(ErrorClassifier.class).notRetryableExceptions())
				.isEqualTo(ErrorClassifier.defaults().notRetryableExceptions());
			assertThat(context.getBean(JobRecoverer.class)).isInstanceOf(DeadLetteringRecoverer.class);
			ListenerOptions options = context.getBean(ListenerContainerRegistry.class).options();
			assertThat(options.errorClassifier()).isSameAs(context.getBean(ErrorClassifier.class));
			assertThat(options.recoverer()).isSameAs(context.getBean(JobRecoverer.class));
		});
	}

	@Test
	void backsOffWhenTheUserDefinesAClassifierOrARecoverer() {
		this.runner.withUserConfiguration(UserFailureHandling.class)
			.withPropertyValues("taskq.retry.not-retryable-exceptions=java.io.IOException")
			.run((context) -> {
				UserFailureHandling user = context.getBean(UserFailureHandling.class);
				assertThat(context).hasSingleBean(ErrorClassifier.class).hasSingleBean(JobRecoverer.class);
				assertThat(context.getBean(ErrorClassifier.class)).isSameAs(user.classifier);
				assertThat(context.getBean(JobRecoverer.class)).isSameAs(user.recoverer);
				ListenerOptions options = context.getBean(ListenerContainerRegistry.class).options();
				assertThat(options.errorClassifier()).isSameAs(user.classifier);
				assertThat(options.recoverer()).isSameAs(user.recoverer);
				// The user's classifier replaces the property's.
				assertThat(options.errorClassifier().isRetryable(new IOException())).isTrue();
			});
	}

	@Test
	void propertyAddsNotRetryableExceptionTypes() {
		this.runner
			.withPropertyValues(
					"taskq.retry.not-retryable-exceptions=java.lang.IllegalArgumentException,java.io.IOException")
			.run((context) -> {
				ErrorClassifier classifier = context.getBean(ListenerContainerRegistry.class)
					.options()
					.errorClassifier();
				assertThat(classifier.notRetryableExceptions()).endsWith(IllegalArgumentException.class,
						IOException.class);
				assertThat(classifier.isRetryable(new NumberFormatException())).isFalse();
				assertThat(classifier.isRetryable(new IllegalStateException(new IOException()))).isFalse();
				assertThat(classifier.isRetryable(new IllegalStateException())).isTrue();
				assertThat(classifier.isRetryable(new io.taskq.NonRetryableJobException("built-in"))).isFalse();
			});
	}

	@Test
	void refusesNotRetryableTypesThatAreNotExceptionsOrDoNotExist() {
		this.runner.withPropertyValues("taskq.retry.not-retryable-exceptions=java.lang.String")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("java.lang.String is not an exception type"));
		this.runner.withPropertyValues("taskq.retry.not-retryable-exceptions=com.example.NoSuchException")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessage("com.example.NoSuchException"));
	}

	@Test
	void consolidatesFlushesOfLettuceConnectionsOnlyWhenAsked() {
		this.runner.run((context) -> assertThat(context.getBean(ClientResources.class).nettyCustomizer())
			.isNotInstanceOf(FlushConsolidatingNettyCustomizer.class));
		this.runner.withPropertyValues("taskq.redis.consolidate-flushes=true")
			.run((context) -> assertThat(context.getBean(ClientResources.class).nettyCustomizer())
				.isInstanceOf(FlushConsolidatingNettyCustomizer.class));
	}

	@Test
	void bindsWorkerPools() {
		this.runner
			.withPropertyValues("taskq.concurrency=4", "taskq.pools.main.queues=urgent,default,bulk",
					"taskq.pools.main.weights=5,3,1", "taskq.pools.main.concurrency=12",
					"taskq.pools.reports.queues=reports,exports")
			.run((context) -> assertThat(context.getBean(ListenerContainerRegistry.class).options().pools())
				.containsExactly(new WorkerPool("main", List.of("urgent", "default", "bulk"), List.of(5, 3, 1), 12),
						new WorkerPool("reports", List.of("reports", "exports"), List.of(), 4)));
	}

	@Test
	void refusesAQueueInTwoPools() {
		this.runner.withPropertyValues("taskq.pools.a.queues=urgent,bulk", "taskq.pools.b.queues=bulk")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Queue 'bulk' is in two pools, 'a' and 'b'"));
	}

	@Test
	void shortensThePollTimeoutToFitTheRedisCommandTimeout() {
		this.runner.withPropertyValues("spring.data.redis.timeout=2s", "taskq.poll-timeout=30s")
			.run((context) -> assertThat(context.getBean(ListenerContainerRegistry.class).options().pollTimeout())
				.isEqualTo(Duration.ofMillis(1500)));
	}

	@Test
	void defaultConsumerNamesAreUniquePerInstance() {
		this.runner.run((first) -> this.runner
			.run((second) -> assertThat(first.getBean(ListenerContainerRegistry.class).options().consumerName())
				.isNotEqualTo(second.getBean(ListenerContainerRegistry.class).options().consumerName())));
	}

	@Test
	void failsClearlyOnInvalidConfiguration() {
		this.runner.withPropertyValues("taskq.concurrency=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Concurrency must be positive"));
		this.runner.withPropertyValues("taskq.retry.multiplier=0.5")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Multiplier must be 1 or more"));
	}

	@Test
	void twoHandlersForOneTaskFailStartUpNamingBothBeans() {
		this.runner.withUserConfiguration(FirstMailer.class, SecondMailer.class)
			.withPropertyValues("taskq.listener.enabled=false")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasMessageContaining("Task 'email.send' has two handlers")
					.hasMessageContaining("bean 'firstMailer' method send")
					.hasMessageContaining("bean 'secondMailer' method send");
			});
	}

	@Test
	void handlerWithTwoPayloadParametersFailsStartUp() {
		this.runner.withUserConfiguration(TwoPayloads.class)
			.withPropertyValues("taskq.listener.enabled=false")
			.run((context) -> assertThat(context.getStartupFailure())
				.hasMessageContaining("declares more than one payload parameter"));
	}

	@Test
	void handlersAreRegisteredWithResolvedPlaceholders() {
		this.runner.withUserConfiguration(FirstMailer.class)
			.withPropertyValues("mail.queue=outbox", "taskq.listener.enabled=false")
			.run((context) -> {
				TaskEndpointRegistry registry = context.getBean(TaskEndpointRegistry.class);
				assertThat(registry.queueOf("email.send")).isEqualTo("outbox");
				assertThat(registry.endpoint("email.send").maxRetries()).isEqualTo(7);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		final JobClient client = mock(JobClient.class);

		final DeadJobs deadJobs = mock(DeadJobs.class);

		final PayloadCodec codec = mock(PayloadCodec.class);

		@Bean
		JobClient myJobClient() {
			return this.client;
		}

		@Bean
		DeadJobs myDeadJobs() {
			return this.deadJobs;
		}

		@Bean
		PayloadCodec myCodec() {
			return this.codec;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserFailureHandling {

		final ErrorClassifier classifier = ErrorClassifier.defaults()
			.withNotRetryableExceptions(IllegalArgumentException.class);

		final JobRecoverer recoverer = (job, error) -> {
		};

		@Bean
		ErrorClassifier myClassifier() {
			return this.classifier;
		}

		@Bean
		JobRecoverer myRecoverer() {
			return this.recoverer;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FirstMailer {

		@Bean
		Mailer firstMailer() {
			return new Mailer();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondMailer {

		@Bean
		Mailer secondMailer() {
			return new Mailer();
		}

	}

	static class Mailer {

		@TaskHandler(task = "email.send", queue = "${mail.queue:mail}", maxRetries = "7")
		void send(String to, JobContext context) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoPayloads {

		@Bean
		Object twoPayloads() {
			return new Object() {

				@TaskHandler("two")
				void handle(String a, String b) {
				}

			};
		}

	}

}
