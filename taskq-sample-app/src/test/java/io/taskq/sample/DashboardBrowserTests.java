package io.taskq.sample;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.taskq.JobId;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.client.QueueControl;
import io.taskq.recurring.RecurringJobs;
import io.taskq.sample.SampleJobs.Invoice;
import io.taskq.testing.browser.ChromiumExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard of the running sample application in headless Chromium: every view at a
 * laptop's and a phone's width (screenshots in {@code target/screenshots}), README's
 * story of the dead invoice told from the page, a read-only dashboard under another path,
 * the server's messages, a lost connection, and user data shown as text under the page's
 * Content-Security-Policy. Skipped, with the reason, where Chromium or chromedriver is
 * not installed. {@link DashboardWritesBrowserTests} covers the other writes.
 * <p>
 * The tour of every view runs first, while the start-up's invoice is still dead; the
 * story retries it next.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@RegisterExtension
	@Order(1)
	static final ChromiumExtension chromium = new ChromiumExtension();

	@RegisterExtension
	@Order(2)
	static final RunningSample running = new RunningSample();

	private final DashboardPage page = new DashboardPage(chromium, WAIT);

	@BeforeEach
	void openABlankPage() {
		chromium.viewport(1280, 800);
		chromium.preferColorScheme("light");
		this.page.driver().get("about:blank");
		this.page.driver().manage().deleteAllCookies();
		chromium.consoleErrors();
	}

	@Order(1)
	@ParameterizedTest(name = "{0} px wide")
	@ValueSource(ints = { 1280, 375 })
	void everyViewShowsTheSamplesJobs(int width) {
		chromium.viewport(width, 800);
		SampleDashboard sample = running.dashboard();
		String deadInvoice = sample.deadInvoiceOfTheStartup();
		JobId reminder = sample.bean(JobClient.class).enqueueIn("reminder", "water the plants", Duration.ofHours(1));

		open("#/overview");
		for (String queue : List.of("default", "reports")) {
			WebElement row = this.page.waitFor("queue-row-" + queue);
			JsonNode figures = sample.queueFigures(queue);
			for (String column : List.of("ready", "running", "delayed", "dead", "lag")) {
				assertThat(this.page.cell(row, column)).as("%s of queue %s", column, queue)
					.isEqualTo(String.valueOf(figures.get(column).asLong()));
			}
			assertThat(this.page.cell(row, "state")).isEqualTo("active");
		}
		this.page.awaitCharts();
		assertThat(this.page.byTestId("latency-count").getText()).isNotIn("0", "\u2013");
		screenshot("overview", width);

		open("#/tasks");
		WebElement report = this.page.waitFor("task-row-reports/report.build");
		assertThat(report.findElement(By.cssSelector("td.num")).getText())
			.isEqualTo(String.valueOf(sample.taskRuns("report.build")));
		assertThat(this.page.byTestId("task-row-default/invoice.import").getText()).contains("invoice.import",
				"default");
		assertThat(this.page.rows("tasks-table")).hasSizeGreaterThanOrEqualTo(5)
			.first()
			.extracting(WebElement::getText)
			.asString()
			.as("slowest first")
			.startsWith("report.build");
		// Its name, as a thumb would: a click on the row's centre scrolls a phone's
		// table.
		report.findElement(By.tagName("th")).click();
		await().atMost(WAIT).until(() -> !this.page.rows("slow-runs").isEmpty());
		assertThat(this.page.rows("slow-runs").get(0).getText()).contains("1.5", sample.instanceId(), "ok");
		screenshot("tasks", width);

		open("#/jobs/dead");
		WebElement dead = this.page.waitFor("dead-row-" + deadInvoice);
		assertThat(dead.getText()).contains("invoice.import", "NonRetryableJobException", "Unknown supplier 'globex'");
		long deadJobs = sample.deadIds().size();
		assertThat(this.page.byTestId("jobs-total").getText())
			.isEqualTo(deadJobs + ((deadJobs == 1) ? " dead job" : " dead jobs") + " in queue default");
		screenshot("dead", width);

		open("#/jobs/scheduled");
		assertThat(this.page.waitFor("scheduled-row-" + reminder).getText()).contains("reminder", "in 59 min");
		screenshot("scheduled", width);

		open("#/job/default/" + deadInvoice);
		assertThat(this.page.waitFor("job-state").getText()).isEqualTo("DEAD");
		assertThat(this.page.byTestId("job-fields").getText()).contains("invoice.import");
		assertThat(this.page.byTestId("job-error").getText()).contains("io.taskq.NonRetryableJobException",
				"Unknown supplier 'globex' on invoice INV-1001");
		assertThat(this.page.byTestId("job-stack").getText()).contains("at io.taskq.sample.SampleJobs.importInvoice");
		assertThat(this.page.byTestId("job-payload").getText()).contains("\"number\": \"INV-1001\"",
				"\"supplier\": \"globex\"");
		assertThat(this.page.byTestId("job-tracked").getText()).contains("DEAD");
		assertThat(this.page.byTestId("job-retry").isDisplayed()).isTrue();
		screenshot("job", width);

		open("#/recurring");
		assertThat(this.page.waitFor("recurring-row-report.nightly").getText()).contains("reports", "0 0 2 * * * UTC",
				"active");
		screenshot("recurring", width);

		open("#/instances");
		assertThat(this.page.waitFor("instance-row-" + sample.instanceId()).getText()).contains("default, reports",
				String.valueOf(ProcessHandle.current().pid()));
		assertThat(this.page.byTestId("instances-summary").getText()).matches("1 instance, \\d+ of 12 workers busy");
		screenshot("instances", width);

		sample.bean(JobClient.class).cancel("default", reminder);
		this.page.assertNoConsoleErrors();
	}

	@Test
	@Order(2)
	void findsTheDeadInvoiceByItsErrorAndRetriesItOnceItsSupplierIsKnown() {
		SampleDashboard sample = running.dashboard();
		String invoice = sample.deadInvoiceOfTheStartup();
		open("#/jobs/dead");
		this.page.waitFor("dead-filter-task").sendKeys("invoice.import");
		this.page.byTestId("dead-filter-error").sendKeys("no such supplier");
		this.page.byTestId("dead-apply").click();
		await().atMost(WAIT)
			.until(() -> this.page.byTestId("dead-table").getText().contains("No dead jobs match the filter."));
		this.page.byTestId("dead-filter-error").clear();
		this.page.byTestId("dead-filter-error").sendKeys("unknown SUPPLIER 'globex'");
		this.page.byTestId("dead-apply").click();
		this.page.waitFor("dead-row-" + invoice);
		assertThat(this.page.rows("dead-table")).hasSize(1);
		assertThat(this.page.driver().getCurrentUrl())
			.endsWith("#/jobs/dead?queue=default&task=invoice.import&error=unknown+SUPPLIER+%27globex%27");

		this.page.byTestId("dead-row-" + invoice).findElement(By.linkText(invoice)).click();
		assertThat(this.page.waitFor("job-state").getText()).isEqualTo("DEAD");
		assertThat(sample.send("POST", "/suppliers/globex").body()).contains("globex");
		this.page.byTestId("job-retry").click();
		assertThat(this.page.waitFor("notice").getText()).isEqualTo("Job retried: it is queued again.");
		// Tracked, so the page follows it to the end.
		await().atMost(WAIT).until(() -> this.page.byTestId("job-state").getText().equals("SUCCEEDED"));
		assertThat(this.page.driver().findElements(this.page.testId("job-retry"))).isEmpty();
		assertThat(sample.state(invoice)).isEqualTo("SUCCEEDED");
		assertThat(sample.send("GET", "/dead/default").body()).doesNotContain(invoice);
		this.page.assertNoConsoleErrors();
	}

	@Test
	@Order(3)
	void aReadOnlyDashboardUnderAnotherPathShowsEverythingAndRefusesEveryWrite() {
		SampleDashboard sample = running.dashboard();
		String dead = sample.deadInvoice("INV-6001", "hooli");
		JobId reminder = sample.bean(JobClient.class).enqueueIn("reminder", "feed the cat", Duration.ofHours(1));
		try (SampleDashboard readOnly = SampleDashboard.start(running.redis(), "/admin/jobs", true)) {
			this.page.driver().get(readOnly.baseUrl().replaceAll("/$", ""));
			await().atMost(WAIT).until(() -> this.page.driver().getCurrentUrl().endsWith("/admin/jobs/"));

			this.page.open(readOnly, "#/overview");
			assertThat(this.page.waitFor("queue-row-default").getText()).contains("active");
			assertThat(this.page.byTestId("readonly-badge").isDisplayed()).isTrue();
			this.page.awaitCharts();
			this.page.assertNoWriteControls();
			chromium.screenshot("overview-readonly-1280");
			this.page.open(readOnly, "#/jobs/dead");
			this.page.waitFor("dead-row-" + dead);
			this.page.assertNoWriteControls();
			this.page.open(readOnly, "#/jobs/scheduled");
			this.page.waitFor("scheduled-row-" + reminder);
			this.page.assertNoWriteControls();
			this.page.open(readOnly, "#/job/default/" + dead);
			assertThat(this.page.waitFor("job-state").getText()).isEqualTo("DEAD");
			assertThat(this.page.byTestId("job-payload").getText()).contains("INV-6001");
			this.page.assertNoWriteControls();
			this.page.open(readOnly, "#/recurring");
			this.page.waitFor("recurring-row-report.nightly");
			this.page.assertNoWriteControls();
			this.page.open(readOnly, "#/instances");
			this.page.waitFor("instance-row-" + sample.instanceId());
			chromium.viewport(375, 800);
			this.page.open(readOnly, "#/jobs/dead");
			this.page.waitFor("dead-row-" + dead);
			chromium.screenshot("dead-readonly-375");
			this.page.assertNoConsoleErrors();

			List<String> writes = List.of("jobs/dead/retry", "jobs/dead/delete", "jobs/scheduled/run-now",
					"jobs/scheduled/delete", "queues/reports/pause", "queues/reports/resume",
					"recurring/report.nightly/pause", "recurring/report.nightly/resume",
					"recurring/report.nightly/trigger");
			String body = "{\"queue\": \"default\", \"ids\": [\"" + dead + "\", \"" + reminder + "\"]}";
			assertThat(this.page.post(writes, body)).hasSize(writes.size())
				.allMatch((answer) -> answer.equals("403 The taskq dashboard is read-only: set"
						+ " taskq.dashboard.read-only=false to allow retries, deletes, pauses and triggers"));
			assertThat(chromium.consoleErrors()).hasSize(writes.size())
				.allMatch((error) -> error.contains("status of 403"));
		}
		assertThat(sample.deadIds()).contains(dead);
		assertThat(sample.api("jobs/default/" + reminder).get("state").asString()).isEqualTo("SCHEDULED");
		assertThat(sample.bean(QueueControl.class).isPaused("reports")).isFalse();
		assertThat(sample.bean(RecurringJobs.class).list().get(0).paused()).isFalse();
		sample.bean(JobClient.class).cancel("default", reminder);
	}

	@Test
	@Order(4)
	void showsUserDataAsTextNeverAsMarkup() {
		SampleDashboard sample = running.dashboard();
		String number = "<img src=x onerror=window.taskqXss=1>";
		String supplier = "<script>window.taskqXss=2</script>";
		JobId id = sample.bean(JobClient.class)
			.submit(JobRequest.of("invoice.import", new Invoice(number, supplier)).withHeader("note", "<i>acme</i>"));
		await().atMost(WAIT).until(() -> sample.deadIds().contains(id.value()));
		open("#/jobs/dead?queue=default&error=" + URLEncoder.encode("<script>", StandardCharsets.UTF_8));
		assertThat(this.page.waitFor("dead-row-" + id).getText())
			.contains("Unknown supplier '" + supplier + "' on invoice " + number);
		assertThat(this.page.byTestId("dead-filter-error").getAttribute("value")).isEqualTo("<script>");
		open("#/job/default/" + id);
		assertThat(this.page.waitFor("job-error").getText())
			.contains("Unknown supplier '" + supplier + "' on invoice " + number);
		assertThat(this.page.byTestId("job-payload").getText()).contains(number, supplier);
		assertThat(this.page.byTestId("job-headers").getText()).contains("note <i>acme</i>");
		assertThat(this.page.driver().findElements(By.cssSelector("img, i, script:not([src])"))).isEmpty();
		assertThat(this.page.script("return window.taskqXss === undefined")).isEqualTo(true);

		this.page.byTestId("job-delete").click();
		this.page.alert().accept();
		await().atMost(WAIT).until(() -> this.page.driver().getCurrentUrl().endsWith("#/jobs/dead?queue=default"));
		assertThat(sample.deadIds()).doesNotContain(id.value());
		this.page.assertNoConsoleErrors();
	}

	@Test
	@Order(5)
	void showsTheServersMessagesAndALostConnection() {
		open("#/jobs/dead?queue=default&from=yesterday");
		assertThat(this.page.waitFor("error-text").getText())
			.isEqualTo("Filter 'from' is not an ISO-8601 instant: 'yesterday'; write it as 2026-12-03T10:15:30Z");
		this.page.byTestId("error-close").click();
		this.page.byTestId("retry-all").click();
		this.page.alert().accept();
		assertThat(this.page.waitFor("error-text").getText()).startsWith("Filter 'from' is not an ISO-8601 instant");
		assertThat(this.page.byTestId("notice").isDisplayed()).isFalse();
		assertThat(chromium.consoleErrors()).isNotEmpty().allMatch((error) -> error.contains("status of 400"));

		this.page.byTestId("lookup-id").sendKeys("01NOSUCHJOB");
		this.page.byTestId("lookup-open").click();
		assertThat(this.page.waitFor("job-not-found").getText()).contains("No job 01NOSUCHJOB in queue default",
				"Queue 'default' has no dead, scheduled or tracked job '01NOSUCHJOB'");
		assertThat(this.page.driver().getCurrentUrl()).endsWith("#/job/default/01NOSUCHJOB");
		assertThat(chromium.consoleErrors()).isNotEmpty().allMatch((error) -> error.contains("status of 404"));

		open("#/overview");
		this.page.waitFor("queue-row-default");
		ChromeDriver chrome = (ChromeDriver) this.page.driver();
		chrome.executeCdpCommand("Network.enable", Map.of());
		try {
			chrome.executeCdpCommand("Network.emulateNetworkConditions", network(true));
			await().atMost(WAIT).until(() -> this.page.byTestId("refresh-status").getText().equals("connection lost"));
			assertThat(this.page.byTestId("refresh-status").getAttribute("data-state")).isEqualTo("lost");
		}
		finally {
			chrome.executeCdpCommand("Network.emulateNetworkConditions", network(false));
			chrome.executeCdpCommand("Network.disable", Map.of());
		}
		await().atMost(WAIT).until(() -> this.page.byTestId("refresh-status").getText().startsWith("updated"));
		assertThat(this.page.byTestId("error").isDisplayed()).isFalse();
	}

	@Test
	@Order(6)
	void followsTheSystemsDarkColourScheme() {
		chromium.preferColorScheme("dark");
		open("#/overview");
		this.page.waitFor("queue-row-default");
		assertThat(this.page.script("return getComputedStyle(document.body).backgroundColor"))
			.isEqualTo("rgb(15, 17, 21)");
		this.page.awaitCharts();
		chromium.screenshot("overview-dark-1280");
		this.page.assertNoConsoleErrors();
	}

	private void open(String hash) {
		this.page.open(running.dashboard(), hash);
	}

	/** Wide tables scroll inside their box: the page itself never scrolls sideways. */
	private void screenshot(String view, int width) {
		this.page.assertFitsTheWidth(width);
		chromium.screenshot(view + "-" + width);
	}

	private static Map<String, Object> network(boolean offline) {
		return Map.of("offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1);
	}

}
