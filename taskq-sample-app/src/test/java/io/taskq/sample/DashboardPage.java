package io.taskq.sample;

import java.time.Duration;
import java.util.List;

import io.taskq.testing.browser.ChromiumExtension;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

	/** The element once it is shown. */
	WebElement waitFor(String id) {
		return await().atMost(this.wait).ignoreExceptions().until(() -> byTestId(id), WebElement::isDisplayed);
	}

	/** A table's rows of data, without the row that says it is empty. */
	List<WebElement> rows(String table) {
		return byTestId(table).findElements(By.cssSelector("tbody tr:not(.empty)"));
	}

	/** A cell of an overview row, by its {@code data-col}. */
	String cell(WebElement row, String column) {
		return row.findElement(By.cssSelector("[data-col=\"" + column + "\"]")).getText();
	}

	Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) driver()).executeScript(script, arguments);
	}

	/** A confirm() the page shows. */
	Alert alert() {
		return await().atMost(this.wait).ignoreExceptions().until(() -> driver().switchTo().alert(), (found) -> true);
	}

	/** Waits until uPlot has drawn both charts of the overview. */
	void awaitCharts() {
		for (String chart : List.of("chart-processed", "chart-failed")) {
			await().atMost(this.wait).until(() -> !byTestId(chart).findElements(By.tagName("canvas")).isEmpty());
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
