package io.taskq.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's Java snippets are copied from classes the build compiles (the quick start's in
 * {@code src/test/java/io/taskq/readme}, the testing section's from the sample's own
 * tests, the dashboard's security recipe from the dashboard's tests), so a snippet that
 * stops compiling fails the build: each must appear in one of those files, whitespace
 * aside.
 */
class ReadmeSnippetsTests {

	private static final Path README = Path.of("..", "README.md");

	private static final List<Path> SOURCES = List.of(Path.of("src", "test", "java", "io", "taskq", "readme"),
			Path.of("src", "test", "java", "io", "taskq", "sample"),
			Path.of("..", "taskq-spring-boot-autoconfigure", "src", "test", "java", "io", "taskq", "dashboard"));

	private static final Pattern TOP_LEVEL_END = Pattern.compile("(?m)(?<=^})\\n");

	private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

	@Test
	void everyJavaSnippetOfReadmeIsCompiledCode() throws IOException {
		List<String> snippets = new ArrayList<>();
		Matcher matcher = JAVA_BLOCK.matcher(Files.readString(README));
		while (matcher.find()) {
			// One piece per top-level class: each lives in a file of its own.
			for (String piece : TOP_LEVEL_END.split(matcher.group(1))) {
				if (!piece.isBlank()) {
					snippets.add(piece);
				}
			}
		}
		assertThat(snippets).hasSizeGreaterThanOrEqualTo(3);
		String sources = compiledSources();
		for (String snippet : snippets) {
			assertThat(sources).as("README snippet, whitespace aside:%n%s", snippet)
				.contains(withoutWhitespace(snippet));
		}
	}

	private static String compiledSources() throws IOException {
		StringBuilder sources = new StringBuilder();
		for (Path directory : SOURCES) {
			try (Stream<Path> files = Files.list(directory)) {
				for (Path file : files.sorted().toList()) {
					sources.append(withoutWhitespace(Files.readString(file))).append('\n');
				}
			}
		}
		return sources.toString();
	}

	private static String withoutWhitespace(String text) {
		return text.replaceAll("\\s+", "");
	}

}
