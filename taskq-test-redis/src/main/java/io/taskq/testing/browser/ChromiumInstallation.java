package io.taskq.testing.browser;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Where the machine's Chromium and its chromedriver are, found on the {@code PATH} or at
 * Debian's paths. Selenium Manager is never asked: it would download a browser and a
 * driver, which a build on a machine without them (or offline) must not do.
 *
 * @param browser the {@code chromium} executable, {@code null} when none was found
 * @param driver the {@code chromedriver} executable, {@code null} when none was found
 */
record ChromiumInstallation(@Nullable Path browser, @Nullable Path driver) {

	static final String INSTALL_HINT = "apt-get install chromium chromium-driver";

	private static final List<String> BROWSER_NAMES = List.of("chromium", "chromium-browser");

	private static final List<Path> BROWSER_PATHS = List.of(Path.of("/usr/bin/chromium"));

	private static final List<String> DRIVER_NAMES = List.of("chromedriver");

	private static final List<Path> DRIVER_PATHS = List.of(Path.of("/usr/bin/chromedriver"),
			Path.of("/usr/lib/chromium/chromedriver"));

	/**
	 * Looks on this process's {@code PATH}, then at the fixed paths. The system property
	 * {@code webdriver.chrome.driver}, when set, names the driver.
	 */
	static ChromiumInstallation locate() {
		String driverProperty = System.getProperty("webdriver.chrome.driver");
		String path = System.getenv("PATH");
		Path driver = (driverProperty != null && !driverProperty.isBlank()) ? executable(Path.of(driverProperty))
				: find(path, DRIVER_NAMES, DRIVER_PATHS);
		return new ChromiumInstallation(find(path, BROWSER_NAMES, BROWSER_PATHS), driver);
	}

	static @Nullable Path find(@Nullable String pathVariable, List<String> names, List<Path> fixedPaths) {
		List<Path> candidates = new ArrayList<>();
		if (pathVariable != null) {
			for (String directory : pathVariable.split(File.pathSeparator)) {
				if (!directory.isEmpty()) {
					names.forEach((name) -> candidates.add(Path.of(directory, name)));
				}
			}
		}
		candidates.addAll(fixedPaths);
		for (Path candidate : candidates) {
			Path found = executable(candidate);
			if (found != null) {
				return found;
			}
		}
		return null;
	}

	private static @Nullable Path executable(Path candidate) {
		return (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) ? candidate : null;
	}

	boolean complete() {
		return this.browser != null && this.driver != null;
	}

	/**
	 * Why browser tests cannot run here and how to fix it; {@code null} when they can.
	 */
	@Nullable String missing() {
		List<String> missing = new ArrayList<>();
		if (this.browser == null) {
			missing.add("chromium (looked for " + String.join(", ", BROWSER_NAMES) + " on the PATH and at "
					+ joined(BROWSER_PATHS) + ")");
		}
		if (this.driver == null) {
			String property = System.getProperty("webdriver.chrome.driver");
			missing.add((property != null && !property.isBlank())
					? "chromedriver (the system property webdriver.chrome.driver names " + property + ")"
					: "chromedriver (looked on the PATH and at " + joined(DRIVER_PATHS) + ")");
		}
		if (missing.isEmpty()) {
			return null;
		}
		return "Browser tests skipped: " + String.join(" and ", missing)
				+ " not found. Install Chromium and its driver with: " + INSTALL_HINT;
	}

	private static String joined(List<Path> paths) {
		return String.join(", ", paths.stream().map(Path::toString).toList());
	}

}
