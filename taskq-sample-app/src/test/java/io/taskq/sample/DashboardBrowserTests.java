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
import org.openqa.selenium.chrome.ChromeDriver;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

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
			this.page.waitFor("queue-row-" + queue);
			JsonNode figures = sample.queueFigures(queue);
			for (String column : List.of("ready", "running", "delayed", "dead", "lag")) {
				assertThat(this.page.cell("queue-row-" + queue, column)).as("%s of queue %s", column, queue)
					.isEqualTo(String.valueOf(figures.get(column).asLong()));
			}
			assertThat(this.page.cell("queue-row-" + queue, "state")).isEqualTo("active");
		}
		this.page.awaitCharts();
		assertThat(this.page.text("latency-count")).isNotIn("0", "\u2013");
		screenshot("overview", width);
		this.page.click("range-day");
		this.page.await()
			.until(() -> this.page.byTestId("latency").findElement(By.xpath("..")).getText().contains("last day"));
		assertThat(this.page.byTestId("range-day").getAttribute("aria-pressed")).isEqualTo("true");
		this.page.click("range-hour");

		open("#/tasks");
		String report = "task-row-reports/report.build";
		assertThat(this.page.text(report)).startsWith("report.build reports " + sample.taskRuns("report.build") + " ");
		assertThat(this.page.text("task-row-default/invoice.import")).contains("invoice.import", "default");
		assertThat(this.page.rowTexts("tasks-table")).hasSizeGreaterThanOrEqualTo(5)
			.first()
			.asString()
			.as("slowest first")
			.startsWith("report.build");
		// Its name, as a thumb would: a click on the row's centre scrolls a phone's
		// table.
		this.page.click(report, "th");
		this.page.await().until(() -> !this.page.rows("slow-runs").isEmpty());
		assertThat(this.page.rowTexts("slow-runs").get(0)).contains("1.5", sample.instanceId(), "ok");
		screenshot("tasks", width);

		open("#/jobs/dead");
		assertThat(this.page.text("dead-row-" + deadInvoice)).contains("invoice.import", "NonRetryableJobException",
				"Unknown supplier 'globex'");
		long deadJobs = sample.deadIds().size();
		assertThat(this.page.text("jobs-total"))
			.isEqualTo(deadJobs + ((deadJobs == 1) ? " dead job" : " dead jobs") + " in queue default");
		screenshot("dead", width);

		open("#/jobs/scheduled");
		assertThat(this.page.text("scheduled-row-" + reminder)).contains("reminder", "in 59 min");
		screenshot("scheduled", width);

		open("#/job/default/" + deadInvoice);
		assertThat(this.page.text("job-state")).isEqualTo("DEAD");
		assertThat(this.page.text("job-fields")).contains("invoice.import");
		assertThat(this.page.text("job-error")).contains("io.taskq.NonRetryableJobException",
				"Unknown supplier 'globex' on invoice INV-1001");
		assertThat(this.page.text("job-stack")).contains("at io.taskq.sample.SampleJobs.importInvoice");
		assertThat(this.page.text("job-payload")).contains("\"number\": \"INV-1001\"", "\"supplier\": \"globex\"");
		assertThat(this.page.text("job-tracked")).contains("DEAD");
		assertThat(this.page.byTestId("job-retry").isDisplayed()).isTrue();
		screenshot("job", width);

		open("#/recurring");
		assertThat(this.page.text("recurring-row-report.nightly")).contains("reports", "0 0 2 * * * UTC", "active");
		screenshot("recurring", width);

		open("#/instances");
		assertThat(this.page.text("instance-row-" + sample.instanceId())).contains("default, reports",
				String.valueOf(ProcessHandle.current().pid()));
		assertThat(this.page.text("instances-summary")).matches("1 instance, \\d+ of 12 workers busy");
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
		this.page.click("dead-apply");
		this.page.await().until(() -> this.page.text("dead-table").contains("No dead jobs match the filter."));
		this.page.byTestId("dead-filter-error").clear();
		this.page.byTestId("dead-filter-error").sendKeys("unknown SUPPLIER 'globex'");
		this.page.click("dead-apply");
		this.page.waitFor("dead-row-" + invoice);
		assertThat(this.page.rowTexts("dead-table")).hasSize(1);
		assertThat(this.page.driver().getCurrentUrl())
			.endsWith("#/jobs/dead?queue=default&task=invoice.import&error=unknown+SUPPLIER+%27globex%27");

		this.page.click("dead-row-" + invoice, "a");
		assertThat(this.page.text("job-state")).isEqualTo("DEAD");
		assertThat(sample.send("POST", "/suppliers/globex").body()).contains("globex");
		this.page.click("job-retry");
		assertThat(this.page.text("notice")).isEqualTo("Job retried: it is queued again.");
		// Tracked, so the page follows it to the end.
		this.page.await().until(() -> this.page.text("job-state").equals("SUCCEEDED"));
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
			this.page.await().until(() -> this.page.driver().getCurrentUrl().endsWith("/admin/jobs/"));

			this.page.open(readOnly, "#/overview");
			assertThat(this.page.text("queue-row-default")).contains("active");
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
			assertThat(this.page.text("job-state")).isEqualTo("DEAD");
			assertThat(this.page.text("job-payload")).contains("INV-6001");
			this.page.assertNoWriteControls();
			this.page.open(readOnly, "#/recurring");
			this.page.waitFor("recurring-row-report.nightly");
			this.page.assertNoWriteControls();
			this.page.open(readOnly, "#/instances");
			this.page.waitFor("instance-row-" + sample.instanceId());
			// The read-only application runs no jobs, and is in the fleet all the same.
			this.page.await()
				.until(() -> this.page.text("instances-summary").matches("2 instances, \\d+ of 12 workers busy"));
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
		this.page.await().until(() -> sample.deadIds().contains(id.value()));
		open("#/jobs/dead?queue=default&error=" + URLEncoder.encode("<script>", StandardCharsets.UTF_8));
		assertThat(this.page.text("dead-row-" + id))
			.contains("Unknown supplier '" + supplier + "' on invoice " + number);
		assertThat(this.page.byTestId("dead-filter-error").getAttribute("value")).isEqualTo("<script>");
		open("#/job/default/" + id);
		assertThat(this.page.text("job-error")).contains("Unknown supplier '" + supplier + "' on invoice " + number);
		assertThat(this.page.text("job-payload")).contains(number, supplier);
		assertThat(this.page.text("job-headers")).contains("note <i>acme</i>");
		assertThat(this.page.driver().findElements(By.cssSelector("img, i, script:not([src])"))).isEmpty();
		assertThat(this.page.script("return window.taskqXss === undefined")).isEqualTo(true);
		this.page.assertNoConsoleErrors();

		// Were markup ever to slip through, the policy the page is served with stops it.
		assertThat(this.page.contentSecurityPolicy()).isEqualTo("default-src 'none'; script-src 'self';"
				+ " style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self';"
				+ " frame-ancestors 'none'");
		this.page.script("const s = document.createElement('script'); s.textContent = 'window.taskqXss = 4';"
				+ " document.body.append(s);");
		assertThat(this.page.script("return window.taskqXss === undefined")).isEqualTo(true);
		assertThat(chromium.consoleErrors()).singleElement()
			.asString()
			.contains("inline script violates the following Content Security Policy directive 'script-src 'self''");

		this.page.click("job-delete");
		this.page.alert().accept();
		this.page.await().until(() -> this.page.driver().getCurrentUrl().endsWith("#/jobs/dead?queue=default"));
		assertThat(sample.deadIds()).doesNotContain(id.value());
		this.page.assertNoConsoleErrors();
	}

	@Test
	@Order(5)
	void showsTheServersMessagesAndALostConnection() {
		open("#/jobs/dead?queue=default&from=yesterday");
		assertThat(this.page.text("error-text"))
			.isEqualTo("Filter 'from' is not an ISO-8601 instant: 'yesterday'; write it as 2026-12-03T10:15:30Z");
		this.page.click("error-close");
		this.page.click("retry-all");
		this.page.alert().accept();
		assertThat(this.page.text("error-text")).startsWith("Filter 'from' is not an ISO-8601 instant");
		assertThat(this.page.byTestId("notice").isDisplayed()).isFalse();
		assertThat(chromium.consoleErrors()).isNotEmpty().allMatch((error) -> error.contains("status of 400"));

		this.page.byTestId("lookup-id").sendKeys("01NOSUCHJOB");
		this.page.click("lookup-open");
		assertThat(this.page.text("job-not-found")).contains("No job 01NOSUCHJOB in queue default",
				"Queue 'default' has no dead, scheduled or tracked job '01NOSUCHJOB'");
		assertThat(this.page.driver().getCurrentUrl()).endsWith("#/job/default/01NOSUCHJOB");
		// The list's refresh that was under way when the job was opened may fail late.
		assertThat(chromium.consoleErrors()).anyMatch((error) -> error.contains("status of 404"))
			.allMatch((error) -> error.contains("status of 404") || error.contains("from=yesterday"));

		open("#/overview");
		this.page.waitFor("queue-row-default");
		ChromeDriver chrome = (ChromeDriver) this.page.driver();
		chrome.executeCdpCommand("Network.enable", Map.of());
		try {
			chrome.executeCdpCommand("Network.emulateNetworkConditions", network(true));
			this.page.await().until(() -> this.page.text("refresh-status").equals("connection lost"));
			assertThat(this.page.byTestId("refresh-status").getAttribute("data-state")).isEqualTo("lost");
		}
		finally {
			chrome.executeCdpCommand("Network.emulateNetworkConditions", network(false));
			chrome.executeCdpCommand("Network.disable", Map.of());
		}
		this.page.await().until(() -> this.page.text("refresh-status").startsWith("updated"));
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
