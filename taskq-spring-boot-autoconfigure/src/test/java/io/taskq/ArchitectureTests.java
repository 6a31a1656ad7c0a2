package io.taskq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.taskq.support.redis.TaskqScript;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime does not depend on Spring Boot, so a plain-Spring module could be split off
 * by moving files; Redis knowledge stays in {@code support.redis}; packages do not import
 * each other in a circle.
 */
class ArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
		.importPackages("io.taskq");

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
