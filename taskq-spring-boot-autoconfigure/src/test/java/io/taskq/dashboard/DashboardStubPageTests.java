package io.taskq.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import io.taskq.dashboard.DashboardStubJson.Selection;
import io.taskq.dashboard.DashboardStubJson.Write;
import io.taskq.testing.browser.ChromiumExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard page in headless Chromium against {@link DashboardStubApplication}: every
 * view at a laptop's and a phone's width (a screenshot of each in
 * {@code target/screenshots}), read-only mode, writes with the CSRF header, confirms, the
 * server's error messages, a lost connection, and user data shown as text. Skipped where
 * Chromium is not installed.
 */
class DashboardStubPageTests {

	@RegisterExtension
	static final ChromiumExtension chromium = new ChromiumExtension();

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static ConfigurableApplicationContext writable;

	private static ConfigurableApplicationContext readOnly;

	@AfterAll
	static void stopStubs() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { writable, readOnly }) {
			if (context != null) {
				context.close();
			}
		}
	}

	private static ConfigurableApplicationContext start(String path, boolean readOnly) {
		return new SpringApplicationBuilder(DashboardStubApplication.class)
			.properties("server.port=0", "stub.path=" + path, "stub.read-only=" + readOnly, "stub.refresh-millis=500",
					"spring.main.banner-mode=off", "logging.level.root=warn")
			.run();
	}

	/**
	 * Started here, not in {@code @BeforeAll}: without Chromium every test is skipped
	 * first.
	 */
	@BeforeEach
	void freshPage() {
		if (writable == null) {
			writable = start("/taskq", false);
			readOnly = start("/admin/jobs", true);
		}
		data(writable).reset();
		data(readOnly).reset();
		chromium.viewport(1280, 900);
		chromium.preferColorScheme("light");
		driver().get("about:blank");
		driver().manage().deleteAllCookies();
		chromium.consoleErrors();
	}

	@ParameterizedTest(name = "{0} px wide")
	@ValueSource(ints = { 1280, 375 })
	void everyViewShowsTheStubsFigures(int width) {
		chromium.viewport(width, 900);
		DashboardStubData data = data(writable);

		open(writable, "#/overview");
		assertThat(waitFor("queue-row-default").getText()).contains("128", "120");
		assertThat(waitFor("resume-emails").getText()).isEqualTo("Resume");
		assertThat(byTestId("pause-default").getText()).isEqualTo("Pause");
		await().atMost(WAIT).until(() -> !byTestId("chart-processed").findElements(By.tagName("canvas")).isEmpty());
		assertThat(byTestId("latency-p95").getText()).isEqualTo("190 ms");
		assertThat(byTestId("refresh-status").getText()).matches("updated \\d\\d:\\d\\d:\\d\\d");
		assertFitsTheWidth(width);
		chromium.screenshot("overview-" + width);

		open(writable, "#/tasks");
		waitFor("task-row-reports/report.monthly");
		assertThat(rows("tasks-table")).hasSize(6)
			.first()
			.extracting(WebElement::getText)
			.asString()
			.startsWith("report.monthly");
		byTestId("task-row-default/report.render").click();
		await().atMost(WAIT).until(() -> rows("slow-runs").size() == 8);
		assertFitsTheWidth(width);
		chromium.screenshot("tasks-" + width);

		open(writable, "#/jobs/dead");
		waitFor("dead-row-" + DashboardStubFixtures.hostileJobId());
		assertThat(rows("dead-table")).hasSize(50);
		assertThat(byTestId("jobs-total").getText()).isEqualTo("120 dead jobs in queue default");
		assertFitsTheWidth(width);
		chromium.screenshot("dead-" + width);
		byTestId("page-next").click();
		await().atMost(WAIT).until(() -> byTestId("page-number").getText().equals("Page 2"));
		waitFor("dead-row-" + data.deadIds("default").get(50));
		assertThat(rows("dead-table")).hasSize(50);

		open(writable, "#/jobs/scheduled?queue=default");
		waitFor("scheduled-row-" + data.scheduledIds("default").get(0));
		assertThat(rows("scheduled-table")).hasSize(50);
		assertThat(byTestId("jobs-total").getText()).isEqualTo("75 scheduled jobs in queue default");
		assertFitsTheWidth(width);
		chromium.screenshot("scheduled-" + width);

		open(writable, "#/job/default/" + DashboardStubFixtures.hostileJobId());
		assertThat(waitFor("job-state").getText()).isEqualTo("DEAD");
		assertThat(byTestId("job-error").getText()).contains(DashboardStubFixtures.HOSTILE_REASON);
		assertThat(byTestId("job-payload").getText()).contains("<img src=x onerror=window.taskqXss=3>");
		assertThat(byTestId("job-headers").getText()).contains("<i>acme</i>");
		assertThat(byTestId("job-retry").isDisplayed()).isTrue();
		assertThat(byTestId("job-delete").isDisplayed()).isTrue();
		assertThat(driver().findElements(By.cssSelector("img, script:not([src])"))).isEmpty();
		assertThat(script("return window.taskqXss === undefined")).isEqualTo(true);
		assertFitsTheWidth(width);
		chromium.screenshot("job-" + width);

		open(writable, "#/recurring");
		assertThat(waitFor("recurring-row-nightly-report").getText()).contains("0 0 2 * * *");
		assertThat(byTestId("recurring-resume-weekly-digest").isDisplayed()).isTrue();
		assertThat(byTestId("recurring-trigger-cleanup-expired").isDisplayed()).isTrue();
		assertFitsTheWidth(width);
		chromium.screenshot("recurring-" + width);

		open(writable, "#/instances");
		waitFor("instance-row-b7f3c1e2");
		assertThat(rows("instances-table")).hasSize(2);
		assertThat(byTestId("instances-summary").getText()).isEqualTo("2 instances, 19 of 32 workers busy");
		assertFitsTheWidth(width);
		chromium.screenshot("instances-" + width);

		assertThat(chromium.consoleErrors()).isEmpty();
	}

	@Test
	void readOnlyShowsABadgeAndNoWriteControlsUnderAnotherPath() {
		driver().get(baseUrl(readOnly).replaceAll("/$", ""));
		await().atMost(WAIT).until(() -> driver().getCurrentUrl().endsWith("/admin/jobs/"));
		open(readOnly, "#/overview");
		waitFor("queue-row-default");
		assertThat(byTestId("readonly-badge").isDisplayed()).isTrue();
		assertNoWriteControls();
		chromium.screenshot("overview-readonly-1280");
		open(readOnly, "#/jobs/dead");
		waitFor("dead-row-" + DashboardStubFixtures.hostileJobId());
		assertNoWriteControls();
		open(readOnly, "#/jobs/scheduled");
		waitFor("scheduled-row-" + data(readOnly).scheduledIds("default").get(0));
		assertNoWriteControls();
		open(readOnly, "#/job/default/" + DashboardStubFixtures.hostileJobId());
		waitFor("job-state");
		assertNoWriteControls();
		open(readOnly, "#/recurring");
		waitFor("recurring-row-nightly-report");
		assertNoWriteControls();
		chromium.viewport(375, 800);
		open(readOnly, "#/jobs/dead");
		waitFor("dead-row-" + DashboardStubFixtures.hostileJobId());
		chromium.screenshot("dead-readonly-375");
		assertThat(data(readOnly).writes()).isEmpty();
		assertThat(chromium.consoleErrors()).isEmpty();
	}

	@Test
	void followsTheSystemsDarkColourScheme() {
		chromium.preferColorScheme("dark");
		open(writable, "#/overview");
		waitFor("queue-row-default");
		assertThat(script("return getComputedStyle(document.body).backgroundColor")).isEqualTo("rgb(15, 17, 21)");
		await().atMost(WAIT).until(() -> !byTestId("chart-processed").findElements(By.tagName("canvas")).isEmpty());
		chromium.screenshot("overview-dark-1280");
	}

	private void assertNoWriteControls() {
		assertThat(driver().findElements(By.cssSelector("[data-action=pause], [data-action=resume], "
				+ "[data-action=trigger], [data-action=selected], [data-action=all], [data-action=retry], "
				+ "[data-action=delete], [data-action=run-now], input[type=checkbox]")))
			.isEmpty();
	}

	@Test
	void retriesSelectedDeadJobsSendingTheCsrfTokenFromTheCookie() {
		open(writable, "#/jobs/dead");
		driver().manage().addCookie(new Cookie("XSRF-TOKEN", "token-123", "/"));
		List<String> ids = data(writable).deadIds("default").subList(1, 3);
		waitFor("select-" + ids.get(0)).click();
		byTestId("select-" + ids.get(1)).click();
		assertThat(byTestId("retry-selected").getText()).isEqualTo("Retry 2 selected");
		byTestId("retry-selected").click();
		assertThat(waitFor("notice").getText()).isEqualTo("Retried 2 dead jobs.");
		await().atMost(WAIT).until(() -> byTestId("jobs-total").getText().equals("118 dead jobs in queue default"));
		assertThat(driver().findElements(testId("dead-row-" + ids.get(0)))).isEmpty();
		assertThat(data(writable).writes())
			.containsExactly(new Write("/taskq/api/jobs/dead/retry", "token-123", new Selection("default", ids, null)));
	}

	@Test
	void deletingAllMatchingAsksFirstAndSendsTheFilter() {
		open(writable, "#/jobs/dead");
		waitFor("dead-filter-task").sendKeys("mail.send");
		byTestId("dead-apply").click();
		long mailJobs = data(writable)
			.dead("default", new DashboardStubJson.Filter("mail.send", null, null, null), null, 200)
			.jobs()
			.size();
		await().atMost(WAIT).until(() -> rows("dead-table").size() == mailJobs);
		assertThat(driver().getCurrentUrl()).endsWith("#/jobs/dead?queue=default&task=mail.send");
		byTestId("delete-all").click();
		Alert confirm = alert();
		assertThat(confirm.getText()).contains("mail.send", "cannot be undone");
		confirm.dismiss();
		assertThat(data(writable).writes()).isEmpty();
		byTestId("delete-all").click();
		alert().accept();
		assertThat(waitFor("notice").getText()).isEqualTo("Deleted " + mailJobs + " dead jobs.");
		assertThat(data(writable).writes()).extracting(Write::body)
			.containsExactly(
					new Selection("default", null, new DashboardStubJson.Filter("mail.send", null, null, null)));
	}

	@Test
	void pausingAQueueTurnsItsButtonIntoResume() {
		open(writable, "#/overview");
		waitFor("pause-default").click();
		assertThat(waitFor("resume-default").getText()).isEqualTo("Resume");
		assertThat(byTestId("notice").getText()).isEqualTo("Queue default paused.");
		assertThat(byTestId("queue-row-default").getText()).contains("paused");
	}

	@Test
	void showsTheServersMessageWhenAWriteFails() {
		open(writable, "#/overview");
		data(writable).failWrites("Redis refused the write: READONLY You can't write against a read only replica.");
		waitFor("pause-default").click();
		assertThat(waitFor("error").getText())
			.contains("Redis refused the write: READONLY You can't write against a read only replica.");
		assertThat(byTestId("pause-default").isDisplayed()).isTrue();
	}

	@Test
	void findsAJobByIdAndSaysWhenTaskqKnowsNothingOfIt() {
		open(writable, "#/jobs/dead");
		waitFor("lookup-id").sendKeys("no-such-job");
		byTestId("lookup-open").click();
		assertThat(waitFor("job-not-found").getText())
			.contains("taskq knows nothing of job no-such-job in queue default");
		String scheduled = data(writable).scheduledIds("default").get(0);
		byTestId("lookup-id").clear();
		byTestId("lookup-id").sendKeys(scheduled);
		byTestId("lookup-open").click();
		await().atMost(WAIT).until(() -> byTestId("job-id").getText().equals(scheduled));
		assertThat(byTestId("job-run-now").isDisplayed()).isTrue();
		assertThat(driver().findElements(testId("job-retry"))).isEmpty();
	}

	@Test
	void saysWhenTheConnectionIsLostAndRecovers() {
		open(writable, "#/overview");
		waitFor("queue-row-default");
		data(writable).setDown(true);
		await().atMost(WAIT).until(() -> byTestId("refresh-status").getText().equals("connection lost"));
		data(writable).setDown(false);
		await().atMost(WAIT).until(() -> byTestId("refresh-status").getText().startsWith("updated"));
	}

	@Test
	void refreshingKeepsTheSelectionTheRowsAndTheScroll() {
		chromium.viewport(1280, 500);
		open(writable, "#/jobs/dead");
		String id = data(writable).deadIds("default").get(3);
		WebElement box = waitFor("select-" + id);
		box.click();
		script("window.scrollTo(0, 600)");
		String before = byTestId("refresh-status").getText();
		await().atMost(WAIT).until(() -> !byTestId("refresh-status").getText().equals(before));
		String after = byTestId("refresh-status").getText();
		await().atMost(WAIT).until(() -> !byTestId("refresh-status").getText().equals(after));
		assertThat(box.isSelected()).isTrue();
		assertThat(byTestId("retry-selected").getText()).isEqualTo("Retry 1 selected");
		assertThat(((Number) script("return window.scrollY")).intValue()).isEqualTo(600);
	}

	private static DashboardStubData data(ConfigurableApplicationContext context) {
		return context.getBean(DashboardStubData.class);
	}

	private static String baseUrl(ConfigurableApplicationContext context) {
		return "http://localhost:" + context.getEnvironment().getProperty("local.server.port")
				+ context.getEnvironment().getProperty("stub.path") + "/";
	}

	private void open(ConfigurableApplicationContext context, String hash) {
		driver().get(baseUrl(context) + hash);
	}

	private static WebDriver driver() {
		return chromium.driver();
	}

	private static By testId(String id) {
		return By.cssSelector("[data-testid=\"" + id.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]");
	}

	private static WebElement byTestId(String id) {
		return driver().findElement(testId(id));
	}

	private static WebElement waitFor(String id) {
		return await().atMost(WAIT).ignoreExceptions().until(() -> byTestId(id), WebElement::isDisplayed);
	}

	private static List<WebElement> rows(String table) {
		return byTestId(table).findElements(By.cssSelector("tbody tr:not(.empty)"));
	}

	private static Object script(String script) {
		return ((JavascriptExecutor) driver()).executeScript(script);
	}

	private static Alert alert() {
		Callable<Alert> alert = () -> driver().switchTo().alert();
		return await().atMost(WAIT).ignoreExceptions().until(alert, (found) -> found != null);
	}

	/** Wide tables scroll inside their box: the page itself never scrolls sideways. */
	private static void assertFitsTheWidth(int width) {
		assertThat(((Number) script("return document.documentElement.scrollWidth")).intValue())
			.isLessThanOrEqualTo(width);
	}

}
