package io.taskq.sample;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.taskq.testing.browser.ChromiumExtension;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard page in the test's Chromium, found by the {@code data-testid} hooks that
 * dashboard.js lists, waiting as a user would for what a refresh brings.
 */
final class DashboardPage {

	private final ChromiumExtension chromium;

	private final Duration wait;

	DashboardPage(ChromiumExtension chromium, Duration wait) {
		this.chromium = chromium;
		this.wait = wait;
	}

	WebDriver driver() {
		return this.chromium.driver();
	}

	/** Loads the page of a dashboard at a route, such as {@code #/jobs/dead}. */
	void open(SampleDashboard dashboard, String hash) {
		driver().get(dashboard.baseUrl() + hash);
	}

	By testId(String id) {
		return By.cssSelector("[data-testid=\"" + id.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]");
	}

	WebElement byTestId(String id) {
		return driver().findElement(testId(id));
	}

	/**
	 * Waits for a condition on the page. A refresh redraws what changed (a job's detail
	 * every second, for its "6 s ago"), so an element found a moment ago may be gone: a
	 * condition that meets one is asked again.
	 */
	ConditionFactory await() {
		return Awaitility.await().atMost(this.wait).ignoreExceptionsInstanceOf(WebDriverException.class);
	}

	/** The element once it is shown. */
	WebElement waitFor(String id) {
		return await().until(() -> byTestId(id), WebElement::isDisplayed);
	}

	/** The text of an element once it is shown. */
	String text(String id) {
		return await().until(() -> {
			WebElement element = byTestId(id);
			return element.isDisplayed() ? element.getText() : null;
		}, Objects::nonNull);
	}

	/**
	 * Clicks an element, or the element within it that a CSS selector names, once shown.
	 */
	void click(String id, String... within) {
		await().until(() -> {
			WebElement element = byTestId(id);
			for (String selector : within) {
				element = element.findElement(By.cssSelector(selector));
			}
			element.click();
			return true;
		});
	}

	/** A table's rows of data, without the row that says it is empty. */
	List<WebElement> rows(String table) {
		return byTestId(table).findElements(By.cssSelector("tbody tr:not(.empty)"));
	}

	/** The texts of a table's rows of data. */
	List<String> rowTexts(String table) {
		return await().until(() -> rows(table).stream().map(WebElement::getText).toList(), Objects::nonNull);
	}

	/** A cell of a row, by its {@code data-col}. */
	String cell(String row, String column) {
		return await().until(() -> byTestId(row).findElement(By.cssSelector("[data-col=\"" + column + "\"]")).getText(),
				Objects::nonNull);
	}

	Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) driver()).executeScript(script, arguments);
	}

	/** A confirm() the page shows. */
	Alert alert() {
		return await().until(() -> driver().switchTo().alert(), Objects::nonNull);
	}

	/** Waits until uPlot has drawn both charts of the overview. */
	void awaitCharts() {
		for (String chart : List.of("chart-processed", "chart-failed")) {
			await().until(() -> !byTestId(chart).findElements(By.tagName("canvas")).isEmpty());
		}
	}

	/**
	 * POSTs to the dashboard's API from the page, as its own scripts do.
	 * @return each answer's status and error message
	 */
	@SuppressWarnings("unchecked")
	List<String> post(List<String> paths, String body) {
		return (List<String>) ((JavascriptExecutor) driver()).executeAsyncScript("""
				const [paths, body, done] = arguments;
				Promise.all(paths.map((path) => fetch('api/' + path, {
				    method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
				  .then(async (response) => response.status + ' ' + (await response.json()).error)))
				  .then(done, (error) => done([String(error)]));
				""", paths, body);
	}

	/** The Content-Security-Policy header the page's own address answers with. */
	String contentSecurityPolicy() {
		return (String) ((JavascriptExecutor) driver()).executeAsyncScript("""
				const done = arguments[0];
				fetch(location.pathname).then((response) => done(response.headers.get('Content-Security-Policy')));
				""");
	}

	/** Wide tables scroll inside their box: the page itself never scrolls sideways. */
	void assertFitsTheWidth(int width) {
		assertThat(((Number) script("return document.documentElement.scrollWidth")).intValue())
			.isLessThanOrEqualTo(width);
	}

	/** Not a button, link or box that changes anything is on the page. */
	void assertNoWriteControls() {
		assertThat(driver().findElements(By.cssSelector("[data-action=pause], [data-action=resume], "
				+ "[data-action=trigger], [data-action=selected], [data-action=all], [data-action=retry], "
				+ "[data-action=delete], [data-action=run-now], input[type=checkbox]")))
			.isEmpty();
	}

	/**
	 * No uncaught error, failed load or Content-Security-Policy refusal since the last
	 * look at the console.
	 */
	void assertNoConsoleErrors() {
		assertThat(this.chromium.consoleErrors()).isEmpty();
	}

}
