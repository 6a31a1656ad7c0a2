package io.taskq.testing.browser;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Starts one headless Chromium for a test class and always quits it, also when a test or
 * the class set-up fails. Register it on a static field with {@code @RegisterExtension}.
 * <p>
 * Where Chromium or chromedriver is not installed, every test of the class is skipped (an
 * assumption fails before each test, so the report counts each one as skipped), with the
 * reason and the fix printed once for a Maven user and kept in the test report. Set-up
 * that only browser tests need belongs in {@code @BeforeEach} (started once, lazily):
 * extensions' callbacks run first, so a skipped test never starts it.
 * <p>
 * The browser and the driver are the machine's (see {@link ChromiumInstallation}); the
 * driver path is given to Selenium so that Selenium Manager never runs.
 */
public final class ChromiumExtension
		implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private final List<String> arguments = List.of("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
			"--window-size=1280,900", "--disable-gpu", "--no-first-run", "--disable-extensions");

	private @Nullable ChromeDriver driver;

	private @Nullable String missing;

	@Override
	public void beforeAll(ExtensionContext context) {
		ChromiumInstallation installation = ChromiumInstallation.locate();
		this.missing = installation.missing();
		if (this.missing != null) {
			System.err.println("[" + context.getDisplayName() + "] " + this.missing);
			return;
		}
		this.driver = start(installation);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		if (this.missing != null) {
			Assumptions.abort(this.missing);
		}
	}

	private ChromeDriver start(ChromiumInstallation installation) {
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(installation.driver().toFile())
			.usingAnyFreePort()
			.withLogOutput(OutputStream.nullOutputStream())
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(installation.browser().toFile());
		options.addArguments(this.arguments);
		options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
		return driver;
	}

	/**
	 * Keeps what the page looked like when a test failed, next to the other screenshots.
	 */
	@Override
	public void afterEach(ExtensionContext context) {
		if (this.driver != null && context.getExecutionException().isPresent()) {
			try {
				screenshot("failed-" + context.getRequiredTestMethod().getName());
			}
			catch (RuntimeException ex) {
				System.err.println("No screenshot of the failed test: " + ex);
			}
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.driver != null) {
			try {
				this.driver.quit();
			}
			finally {
				this.driver = null;
			}
		}
	}

	public WebDriver driver() {
		if (this.driver == null) {
			throw new IllegalStateException("Chromium is not running: register the extension with @RegisterExtension");
		}
		return this.driver;
	}

	/**
	 * Makes the page's viewport exactly {@code width} by {@code height} CSS pixels; a
	 * width under 600 also emulates a phone (touch, the page's viewport meta tag).
	 */
	public void viewport(int width, int height) {
		chrome().executeCdpCommand("Emulation.setDeviceMetricsOverride",
				Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
	}

	/** Emulates the system's {@code light} or {@code dark} colour scheme preference. */
	public void preferColorScheme(String scheme) {
		chrome().executeCdpCommand("Emulation.setEmulatedMedia",
				Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
	}

	/**
	 * Writes the whole page, not only the viewport, to
	 * {@code target/screenshots/<name>.png}. The page is scrolled to the top for the shot
	 * (a sticky header would otherwise be drawn part way down) and back after.
	 */
	public Path screenshot(String name) {
		ChromeDriver chrome = chrome();
		Object size = ((JavascriptExecutor) chrome).executeScript("const e = document.documentElement;"
				+ " const at = [scrollX, scrollY]; window.scrollTo(0, 0); window.taskqScreenshotScroll = at;"
				+ " return [e.scrollWidth, Math.max(e.scrollHeight, innerHeight)];");
		List<?> dimensions = (List<?>) size;
		Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", dimensions.get(0), "height", dimensions.get(1),
				"scale", 1);
		Map<String, Object> shot = chrome.executeCdpCommand("Page.captureScreenshot",
				Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
		((JavascriptExecutor) chrome).executeScript("window.scrollTo(...window.taskqScreenshotScroll);");
		Path file = SCREENSHOTS.resolve(name + ".png");
		try {
			Files.createDirectories(SCREENSHOTS);
			Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return file;
	}

	/**
	 * The page's console errors since the last call: uncaught exceptions, failed loads,
	 * Content-Security-Policy refusals.
	 */
	public List<String> consoleErrors() {
		return driver().manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.toList();
	}

	private ChromeDriver chrome() {
		return (ChromeDriver) driver();
	}

}
