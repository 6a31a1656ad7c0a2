package io.taskq.boot.autoconfigure;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.taskq.JobContext;
import io.taskq.annotation.TaskHandler;
import io.taskq.recurring.CronSchedule;
import io.taskq.recurring.IntervalSchedule;
import io.taskq.recurring.MisfirePolicy;
import io.taskq.recurring.RecurringJob;
import io.taskq.recurring.RecurringJobRegistry;
import io.taskq.recurring.RecurringJobs;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Recurring job beans, properties, and the start-up errors of schedule attributes. No
 * Redis: the scheduler is switched off wherever a schedule is declared.
 */
class RecurringJobsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, TaskqAutoConfiguration.class,
				TaskqRecurringAutoConfiguration.class))
		.withPropertyValues("taskq.listener.enabled=false");

	@Test
	void createsTheApiAndASchedulerThatStartsNoThreadWithoutSchedules() {
		this.runner.withPropertyValues("taskq.recurring.misfire-threshold=10s").run((context) -> {
			assertThat(context).hasSingleBean(RecurringJobs.class).hasBean("taskqRecurringScheduler");
			SmartLifecycle scheduler = context.getBean("taskqRecurringScheduler", SmartLifecycle.class);
			assertThat(scheduler.isRunning()).isTrue();
			assertThat(scheduler).extracting("options.misfireThreshold").isEqualTo(Duration.ofSeconds(10));
			assertThat(Thread.getAllStackTraces().keySet())
				.noneMatch((thread) -> thread.getName().equals("taskq-recurring"));
			assertThat(context.getBean(RecurringJobs.class).list()).isEmpty();
		});
	}

	@Test
	void schedulerCanBeSwitchedOffAndTheApiReplaced() {
		this.runner.withPropertyValues("taskq.recurring.enabled=false")
			.withUserConfiguration(UserRecurringJobs.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean("taskqRecurringScheduler");
				assertThat(context).getBean(RecurringJobs.class)
					.isSameAs(context.getBean(UserRecurringJobs.class).jobs);
			});
	}

	@Test
	void handlersWithSchedulesAreRegisteredWithResolvedPlaceholders() {
		this.runner.withUserConfiguration(Scheduled.class)
			.withPropertyValues("taskq.recurring.enabled=false", "tick=2s", "report.zone=Europe/Paris")
			.run((context) -> {
				RecurringJobRegistry registry = context.getBean(RecurringJobRegistry.class);
				assertThat(registry.jobs()).extracting(RecurringJob::name).containsExactly("report", "tick");
				assertThat(registry.job("tick")).isEqualTo(new RecurringJob("tick", "default",
						new IntervalSchedule(Duration.ofSeconds(2)), MisfirePolicy.SKIP));
				assertThat(registry.job("report")).isEqualTo(new RecurringJob("report", "reports",
						new CronSchedule("0 0 6 * * MON-FRI", ZoneId.of("Europe/Paris")), MisfirePolicy.RUN_ONCE));
			});
	}

	@Test
	void cronWithoutZoneRunsInUtc() {
		Object handler = new Object() {

			@TaskHandler(task = "nightly", cron = "0 0 3 * * *")
			void run() {
			}

		};
		this.runner.withBean("handler", Object.class, () -> handler)
			.withPropertyValues("taskq.recurring.enabled=false")
			.run((context) -> {
				CronSchedule schedule = (CronSchedule) context.getBean(RecurringJobRegistry.class)
					.job("nightly")
					.schedule();
				assertThat(schedule.zone()).isEqualTo(ZoneOffset.UTC);
			});
	}

	@Test
	void scheduleWithCronAndEveryFailsStartUp() {
		assertStartUpFails(new Object() {

			@TaskHandler(task = "both", cron = "* * * * * *", every = "1s")
			void run() {
			}

		}, "has both cron and every; give one");
	}

	@Test
	void scheduledHandlerWithPayloadFailsStartUp() {
		assertStartUpFails(new Object() {

			@TaskHandler(task = "withPayload", every = "1m")
			void run(String payload, JobContext context) {
			}

		}, "has a schedule, so it takes no payload (only a JobContext), but declares a String parameter");
	}

	@Test
	void invalidScheduleAttributesFailStartUpNamingTheHandler() {
		assertStartUpFails(new Object() {

			@TaskHandler(task = "badCron", cron = "every day")
			void run() {
			}

		}, "has cron 'every day', not a Spring cron expression");
		assertStartUpFails(new Object() {

			@TaskHandler(task = "badZone", cron = "0 0 * * * *", zone = "Mars/Olympus")
			void run() {
			}

		}, "has zone 'Mars/Olympus', not a time zone id");
		assertStartUpFails(new Object() {

			@TaskHandler(task = "zonedInterval", every = "1h", zone = "Europe/Paris")
			void run() {
			}

		}, "has a zone, which applies to cron only");
		assertStartUpFails(new Object() {

			@TaskHandler(task = "badEvery", every = "often")
			void run() {
			}

		}, "has every 'often', not a duration");
		assertStartUpFails(new Object() {

			@TaskHandler(task = "tooOften", every = "100ms")
			void run() {
			}

		}, "Recurring interval must be at least 1s");
		assertStartUpFails(new Object() {

			@TaskHandler(task = "badMisfire", every = "1h", misfire = "later")
			void run() {
			}

		}, "misfire 'later' is neither 'skip' nor 'run-once'");
		assertStartUpFails(new Object() {

			@TaskHandler(task = "noSchedule", misfire = "run-once")
			void run() {
			}

		}, "has zone or misfire but neither cron nor every");
	}

	private void assertStartUpFails(Object handler, String message) {
		this.runner.withBean("handler", Object.class, () -> handler)
			.withPropertyValues("taskq.recurring.enabled=false")
			.run((context) -> assertThat(context.getStartupFailure()).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("@TaskHandler on bean 'handler' method run")
				.hasMessageContaining(message));
	}

	@Configuration(proxyBeanMethods = false)
	static class Scheduled {

		@Bean
		Object scheduledHandlers() {
			return new Object() {

				@TaskHandler(task = "tick", every = "${tick}")
				void tick(JobContext context) {
				}

				@TaskHandler(task = "report", queue = "reports", cron = "0 0 6 * * MON-FRI", zone = "${report.zone}",
						misfire = "run-once")
				void report() {
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRecurringJobs {

		final RecurringJobs jobs = mock(RecurringJobs.class);

		@Bean
		RecurringJobs myRecurringJobs() {
			return this.jobs;
		}

	}

}
