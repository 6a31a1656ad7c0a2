package io.taskq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.taskq.support.redis.TaskqScript;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime does not depend on Spring Boot, so a plain-Spring module could be split off
 * by moving files; Redis knowledge stays in {@code support.redis}; packages do not import
 * each other in a circle; only the listed API, SPI and seams are public.
 */
class ArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
		.importPackages("io.taskq");

	/**
	 * The public top-level types outside {@code boot} and {@code support.redis} (which
	 * holds key names, wire fields and script facades, public by design). A type not
	 * listed here is an internal of its package and package-private.
	 */
	private static final Set<String> PUBLIC_TYPES = Set.of(
			// API: what an application calls, annotates, catches or throws.
			"io.taskq.JobContext", "io.taskq.JobId", "io.taskq.JobState", "io.taskq.TaskqException",
			"io.taskq.JobSerializationException", "io.taskq.JobTimeoutException", "io.taskq.NonRetryableJobException",
			"io.taskq.annotation.TaskHandler", "io.taskq.client.JobClient", "io.taskq.client.JobRequest",
			"io.taskq.client.Uniqueness", "io.taskq.client.JobStatus", "io.taskq.client.CancelResult",
			"io.taskq.client.QueueControl", "io.taskq.client.DeadJobs", "io.taskq.client.DeadJob",
			"io.taskq.client.JobEnqueueException", "io.taskq.client.JobAlreadyEnqueuedException",
			"io.taskq.client.JobNotTrackedException", "io.taskq.client.RedisCapacityException",
			"io.taskq.recurring.RecurringJobs", "io.taskq.recurring.RecurringJobInfo", "io.taskq.recurring.Schedule",
			"io.taskq.recurring.CronSchedule", "io.taskq.recurring.IntervalSchedule",
			"io.taskq.recurring.MisfirePolicy",
			// A recoverer receives a PayloadReadException; ErrorClassifier lists both.
			"io.taskq.support.PayloadReadException", "io.taskq.support.MalformedJobException",
			// SPI: what an application implements, or replaces or reads as a bean, and
			// the types those signatures need.
			"io.taskq.support.JobObserver", "io.taskq.support.JobExecution", "io.taskq.support.PayloadCodec",
			"io.taskq.support.JacksonPayloadCodec", "io.taskq.support.QueueStatsReader", "io.taskq.support.QueueStats",
			"io.taskq.support.TaskTimings", "io.taskq.retry.JobRecoverer", "io.taskq.retry.FailedJob",
			"io.taskq.retry.DeadLetteringRecoverer", "io.taskq.retry.ErrorClassifier",
			"io.taskq.support.micrometer.MicrometerJobObserver", "io.taskq.support.micrometer.QueueGauges",
			// Seams for the auto-configuration: the entry of each package it builds
			// from, the beans it declares, and the immutable options it maps properties
			// into.
			"io.taskq.annotation.TaskHandlerAnnotationBeanPostProcessor", "io.taskq.client.RedisClients",
			"io.taskq.client.RedisDeadJobs", "io.taskq.recurring.RecurringRuntime",
			"io.taskq.listener.ListenerContainerRegistry", "io.taskq.listener.TaskEndpointRegistry",
			"io.taskq.listener.ListenerOptions", "io.taskq.listener.WorkerPool", "io.taskq.retry.RetryPolicy",
			"io.taskq.delay.DelayedJobPromoter",
			// Seams for taskq-test, which runs handlers inline, fires recurring jobs and
			// lists queues as the runtime does.
			"io.taskq.listener.adapter.TaskEndpoint", "io.taskq.listener.adapter.HandlerMethodInvoker",
			"io.taskq.listener.adapter.SimpleJobContext", "io.taskq.recurring.RecurringJobRegistry",
			"io.taskq.recurring.RecurringJob", "io.taskq.recurring.OccurrenceEnqueuer",
			"io.taskq.support.QueueControlMessages", "io.taskq.support.JobMessage",
			// Seams between runtime packages: the job on the wire, the client's routing
			// by the listener's handlers, the listener's retry and dead-letter writes,
			// and the pacing every background loop shares.
			"io.taskq.support.JobControls", "io.taskq.client.TaskRouter", "io.taskq.retry.FailedJobWriter",
			"io.taskq.retry.OutageBackoff",
			// Seams of the dashboard (issue 18): its settings and configuration, which
			// the
			// auto-configuration imports; the fleet's recorder (an observer bean that
			// makes
			// its reporter), reader (a bean) and the views it answers, and the workers
			// the
			// listener describes for the heartbeat.
			"io.taskq.dashboard.DashboardSettings", "io.taskq.dashboard.DashboardWebConfiguration",
			"io.taskq.fleet.FleetRecorder", "io.taskq.fleet.FleetReader", "io.taskq.fleet.FleetViews",
			"io.taskq.fleet.InstanceDescription");

	@Test
	void nothingOutsideBootImportsSpringBoot() {
		noClasses().that()
			.resideOutsideOfPackage("io.taskq.boot..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.boot..")
			.check(this.classes);
	}

	@Test
	void runtimeDoesNotDependOnBootPackages() {
		noClasses().that()
			.resideOutsideOfPackage("io.taskq.boot..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.taskq.boot..")
			.check(this.classes);
	}

	@Test
	void onlySupportRedisLoadsScripts() {
		noClasses().that()
			.resideOutsideOfPackage("io.taskq.support.redis..")
			.should()
			.callMethod(TaskqScript.class, "load", Class.class, String.class, Class.class, String[].class)
			.check(this.classes);
	}

	/**
	 * The group name and the wire fields are compile-time constants, which the compiler
	 * copies into the classes that use them: the sources are checked instead.
	 */
	@Test
	void onlySupportRedisNamesTheGroupOrAWireField() throws IOException {
		Path main = Path.of("src", "main", "java", "io", "taskq");
		Path redis = main.resolve(Path.of("support", "redis"));
		Pattern naming = Pattern.compile("QueueKeys\\.GROUP|\\.(get|getOrDefault|put)\\(\"(id|task|payload|retries|"
				+ "created|due|unhandled)\"");
		List<String> offenders;
		try (Stream<Path> files = Files.walk(main)) {
			offenders = files.filter((file) -> file.toString().endsWith(".java") && !file.startsWith(redis))
				.filter((file) -> naming.matcher(read(file)).find())
				.map(Path::toString)
				.toList();
		}
		assertThat(offenders).isEmpty();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void supportRedisDependsOnNoOtherTaskqPackage() {
		noClasses().that()
			.resideInAPackage("io.taskq.support.redis..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.taskq.client..", "io.taskq.listener..", "io.taskq.delay..", "io.taskq.retry..",
					"io.taskq.recurring..", "io.taskq.annotation..")
			.check(this.classes);
	}

	/**
	 * Only the API users touch is public: a new public type outside {@code boot} is a
	 * decision taken in {@link #PUBLIC_TYPES}, not an accident; a listed type that is no
	 * longer public leaves the list.
	 */
	@Test
	void onlyListedTypesArePublicOutsideBootAndSupportRedis() {
		// This module's classes only: the classpath has taskq's test support too.
		JavaClasses ours = new ClassFileImporter().importPath(Path.of("target", "classes"));
		Set<String> publicTypes = ours.stream()
			.filter(JavaClass::isTopLevelClass)
			.filter((type) -> type.getModifiers().contains(JavaModifier.PUBLIC))
			.filter((type) -> !isBootOrSupportRedis(type.getPackageName()))
			.map(JavaClass::getName)
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(publicTypes).as("public types outside boot and support.redis that PUBLIC_TYPES does not list")
			.isSubsetOf(PUBLIC_TYPES);
		assertThat(PUBLIC_TYPES).as("PUBLIC_TYPES entries that are no longer public top-level types")
			.isSubsetOf(publicTypes);
	}

	private static boolean isBootOrSupportRedis(String packageName) {
		return packageName.equals("io.taskq.boot") || packageName.startsWith("io.taskq.boot.")
				|| packageName.equals("io.taskq.support.redis") || packageName.startsWith("io.taskq.support.redis.");
	}

	@Test
	void supportDoesNotDependOnTheClient() {
		noClasses().that()
			.resideInAPackage("io.taskq.support..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.taskq.client..")
			.check(this.classes);
	}

}
