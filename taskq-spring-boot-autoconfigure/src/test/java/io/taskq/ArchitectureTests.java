package io.taskq;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The runtime does not depend on Spring Boot, so a plain-Spring module could be split off
 * by moving files.
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

}
