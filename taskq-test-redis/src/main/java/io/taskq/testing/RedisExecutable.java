package io.taskq.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code redis-server} to start: the file named by the
 * {@code TASKQ_REDIS_SERVER} environment variable or {@code taskq.redis-server} system
 * property; else {@code redis-server} on the {@code PATH} when it is 6.2 or later (taskq
 * needs {@code XPENDING ... IDLE} and {@code XTRIM MINID}); else the binary the
 * {@code com.github.codemonstur:embedded-redis} jar ships, extracted once to the temp
 * directory. {@code embedded} as the variable's value forces the shipped binary.
 */
final class RedisExecutable {

	private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.(\\d+)\\.(\\d+)");

	private RedisExecutable() {
	}

	static String resolve() {
		String configured = System.getenv("TASKQ_REDIS_SERVER");
		if (configured == null) {
			configured = System.getProperty("taskq.redis-server");
		}
		if (configured != null && !configured.isBlank() && !configured.equals("embedded")) {
			return configured;
		}
		if (configured == null || configured.isBlank()) {
			String onPath = findOnPath();
			if (onPath != null) {
				return onPath;
			}
		}
		return extractShippedBinary();
	}

	private static String findOnPath() {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String dir : path.split(File.pathSeparator)) {
			Path candidate = Path.of(dir, "redis-server");
			if (Files.isExecutable(candidate) && isAtLeast62(candidate.toString())) {
				return candidate.toString();
			}
		}
		return null;
	}

	private static boolean isAtLeast62(String executable) {
		try {
			Process process = new ProcessBuilder(executable, "--version").redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor(5, TimeUnit.SECONDS);
			Matcher matcher = VERSION.matcher(output);
			if (!matcher.find()) {
				return false;
			}
			int major = Integer.parseInt(matcher.group(1));
			int minor = Integer.parseInt(matcher.group(2));
			return major > 6 || (major == 6 && minor >= 2);
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static String extractShippedBinary() {
		String resource = shippedResourceName();
		Path target = Path.of(System.getProperty("java.io.tmpdir"), "taskq-" + System.getProperty("user.name"),
				resource);
		try (InputStream in = RedisExecutable.class.getResourceAsStream("/" + resource)) {
			if (in == null) {
				throw new IllegalStateException("No redis-server on the PATH and no " + resource
						+ " on the classpath (com.github.codemonstur:embedded-redis)");
			}
			byte[] bytes = in.readAllBytes();
			if (!Files.exists(target) || Files.size(target) != bytes.length) {
				Files.createDirectories(target.getParent());
				Path partial = Files.createTempFile(target.getParent(), resource, ".part");
				Files.write(partial, bytes);
				partial.toFile().setExecutable(true);
				Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			return target.toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String shippedResourceName() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
		boolean arm = arch.contains("aarch64") || arch.contains("arm");
		if (os.contains("mac")) {
			return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
		}
		if (os.contains("linux")) {
			return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
		}
		throw new IllegalStateException("No shipped redis-server for " + os + "/" + arch
				+ "; install Redis 6.2+ on the PATH or set TASKQ_REDIS_SERVER");
	}

}
