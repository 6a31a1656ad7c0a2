package io.taskq.boot.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.StreamUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The imports file lists real auto-configurations, sorted.
 */
class AutoConfigurationImportsTests {

	@Test
	void everyEntryIsAnAutoConfigurationAndTheListIsSorted() throws IOException, ClassNotFoundException {
		String content = StreamUtils.copyToString(new ClassPathResource(
				"META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")
			.getInputStream(), StandardCharsets.UTF_8);
		List<String> entries = content.lines().map(String::trim).filter((line) -> !line.isEmpty()).toList();
		assertThat(entries).isNotEmpty().isSorted();
		for (String entry : entries) {
			assertThat(Class.forName(entry)).hasAnnotation(AutoConfiguration.class);
		}
	}

}
