package io.taskq.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.taskq.JobId;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.client.QueueControl;
import io.taskq.listener.ListenerContainerRegistry;
import io.taskq.recurring.RecurringJobs;
import io.taskq.sample.SampleJobs.Invoice;
import io.taskq.testing.browser.ChromiumExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Alert;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's writes on the running sample application, in headless Chromium, each
 * checked where it lands: the sample's Redis, its containers, the API's figures. Each
 * test makes the jobs it acts on. Skipped, with the reason, where Chromium or
 * chromedriver is not installed.
 */
class DashboardWritesBrowserTests {

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

	@Test
	void retriesSelectedAndAllMatchingDeadJobsAfterConfirming() {
		SampleDashboard sample = running.dashboard();
		String first = sample.deadInvoice("INV-2001", "initech");
		String second = sample.deadInvoice("INV-2002", "initech");
		String other = sample.deadInvoice("INV-2003", "umbrella");
		open("#/jobs/dead?queue=default&error=initech");
		this.page.waitFor("dead-row-" + first);
		this.page.waitFor("dead-row-" + second);
		assertThat(this.page.driver().findElements(this.page.testId("dead-row-" + other))).isEmpty();
		assertThat(this.page.byTestId("dead-filter-error").getAttribute("value")).isEqualTo("initech");
		this.page.click("retry-all");
		Alert confirm = this.page.alert();
		assertThat(confirm.getText())
			.isEqualTo("Retry every dead job of queue default matching error contains \"initech\"?");
		confirm.dismiss();
		assertThat(sample.deadIds()).contains(first, second);

		sample.send("POST", "/suppliers/initech");
		this.page.click("select-" + first);
		assertThat(this.page.text("retry-selected")).isEqualTo("Retry 1 selected");
		this.page.click("retry-selected");
		assertThat(this.page.text("notice")).isEqualTo("Retried 1 dead job.");
		this.page.await().until(() -> this.page.driver().findElements(this.page.testId("dead-row-" + first)).isEmpty());
		this.page.click("retry-all");
		this.page.alert().accept();
		this.page.await().until(() -> this.page.text("notice").equals("Retried 1 dead job."));
		// Invoices are tracked: each ran, this time to the end.
		this.page.await()
			.until(() -> sample.state(first).equals("SUCCEEDED") && sample.state(second).equals("SUCCEEDED"));
		assertThat(sample.deadIds()).doesNotContain(first, second).contains(other);
		this.page.assertNoConsoleErrors();
	}

	@Test
	void pausesAQueueSoItsJobsWaitThenResumesIt() {
		SampleDashboard sample = running.dashboard();
		open("#/overview");
		this.page.click("pause-reports");
		assertThat(this.page.text("resume-reports")).isEqualTo("Resume");
		assertThat(this.page.text("notice")).isEqualTo("Queue reports paused.");
		assertThat(reportsQueue("state")).isEqualTo("paused");
		assertThat(sample.queueFigures("reports").get("paused").asBoolean()).isTrue();
		assertThat(sample.bean(QueueControl.class).isPaused("reports")).isTrue();
		ListenerContainerRegistry containers = sample.bean(ListenerContainerRegistry.class);
		this.page.await().until(() -> containers.isPaused("reports"));

		long runs = sample.taskRuns("report.build");
		sample.send("POST", "/jobs/report?millis=10");
		this.page.await().until(() -> reportsQueue("ready").equals("1"));
		this.page.click("resume-reports");
		assertThat(this.page.text("pause-reports")).isEqualTo("Pause");
		assertThat(this.page.text("notice")).isEqualTo("Queue reports resumed.");
		this.page.await().until(() -> reportsQueue("ready").equals("0") && reportsQueue("state").equals("active"));
		this.page.await().until(() -> sample.taskRuns("report.build") == runs + 1);
		assertThat(containers.isPaused("reports")).isFalse();
		assertThat(sample.queueFigures("reports").get("paused").asBoolean()).isFalse();
		this.page.assertNoConsoleErrors();
	}

	@Test
	void runsAScheduledJobNowAndDeletesAnother() {
		SampleDashboard sample = running.dashboard();
		JobClient jobs = sample.bean(JobClient.class);
		JobId soon = jobs
			.submit(JobRequest.of("reminder", "call the dentist").withDelay(Duration.ofHours(1)).withTracking());
		JobId later = jobs.enqueueIn("reminder", "renew the passport", Duration.ofHours(2));
		open("#/jobs/scheduled?queue=default&task=reminder");
		this.page.waitFor("scheduled-row-" + later);
		this.page.click("select-" + soon);
		assertThat(this.page.text("run-now-selected")).isEqualTo("Run now 1 selected");
		this.page.click("run-now-selected");
		assertThat(this.page.text("notice")).isEqualTo("Started 1 scheduled job.");
		this.page.await().until(() -> sample.state(soon.value()).equals("SUCCEEDED"));
		this.page.await()
			.until(() -> this.page.driver().findElements(this.page.testId("scheduled-row-" + soon)).isEmpty());

		this.page.click("scheduled-row-" + later, "a");
		assertThat(this.page.text("job-state")).isEqualTo("SCHEDULED");
		assertThat(this.page.text("job-payload")).isEqualTo("\"renew the passport\"");
		assertThat(this.page.byTestId("job-run-now").isDisplayed()).isTrue();
		assertThat(this.page.driver().findElements(this.page.testId("job-retry"))).isEmpty();
		this.page.click("job-delete");
		Alert confirm = this.page.alert();
		assertThat(confirm.getText()).isEqualTo("Delete job " + later + "? This cannot be undone.");
		confirm.accept();
		this.page.await().until(() -> this.page.driver().getCurrentUrl().endsWith("#/jobs/scheduled?queue=default"));
		this.page.waitFor("scheduled-table");
		assertThat(this.page.driver().findElements(this.page.testId("scheduled-row-" + later))).isEmpty();
		assertThat(sample.send("GET", "/taskq/api/jobs/default/" + later).statusCode()).isEqualTo(404);
		this.page.assertNoConsoleErrors();
	}

	@Test
	void pausesResumesAndRunsTheNightlyReportNow() {
		SampleDashboard sample = running.dashboard();
		RecurringJobs recurring = sample.bean(RecurringJobs.class);
		long runs = sample.taskRuns("report.nightly");
		open("#/recurring");
		this.page.click("recurring-pause-report.nightly");
		assertThat(this.page.text("recurring-resume-report.nightly")).isEqualTo("Resume");
		assertThat(this.page.text("notice"))
			.isEqualTo("report.nightly paused: no occurrence fires until it is resumed.");
		assertThat(this.page.text("recurring-row-report.nightly")).contains("paused");
		assertThat(recurring.list().get(0).paused()).isTrue();
		this.page.click("recurring-resume-report.nightly");
		this.page.waitFor("recurring-pause-report.nightly");
		assertThat(recurring.list().get(0).paused()).isFalse();
		this.page.click("recurring-trigger-report.nightly");
		assertThat(this.page.text("notice")).isEqualTo("report.nightly enqueued now.");
		this.page.await().until(() -> sample.taskRuns("report.nightly") == runs + 1);
		this.page.assertNoConsoleErrors();
	}

	@Test
	void pagesThroughManyDeadJobsAndARefreshKeepsTheSelectionAndTheScroll() {
		SampleDashboard sample = running.dashboard();
		List<JobRequest> invoices = new ArrayList<>();
		for (int i = 0; i < 55; i++) {
			invoices.add(JobRequest.of("invoice.import", new Invoice("INV-5" + i, "soylent")));
		}
		List<String> ids = sample.bean(JobClient.class).enqueueAll(invoices).stream().map(JobId::value).toList();
		this.page.await().until(() -> sample.deadIds().containsAll(ids));
		chromium.viewport(1280, 500);
		open("#/jobs/dead?queue=default&task=invoice.import&error=soylent");
		this.page.await().until(() -> this.page.rows("dead-table").size() == 50);
		assertThat(this.page.text("jobs-total")).matches("50 matching on this page · \\d+ dead jobs in queue default");
		this.page.click("page-next");
		this.page.await().until(() -> this.page.text("page-number").equals("Page 2"));
		this.page.await().until(() -> this.page.rows("dead-table").size() == 5);
		assertThat(this.page.byTestId("page-next").isEnabled()).isFalse();
		this.page.click("page-first");
		this.page.await().until(() -> this.page.rows("dead-table").size() == 50);

		WebElement box = this.page.waitFor("select-" + this.page.rows("dead-table").get(3).getAttribute("data-key"));
		box.click();
		this.page.script("window.scrollTo(0, 600)");
		for (int i = 0; i < 2; i++) {
			String before = this.page.text("refresh-status");
			this.page.await().until(() -> !this.page.text("refresh-status").equals(before));
		}
		assertThat(box.isSelected()).isTrue();
		assertThat(this.page.text("retry-selected")).isEqualTo("Retry 1 selected");
		assertThat(((Number) this.page.script("return window.scrollY")).intValue()).isEqualTo(600);

		this.page.script("window.scrollTo(0, 0)");
		this.page.click("delete-all");
		Alert confirm = this.page.alert();
		assertThat(confirm.getText()).isEqualTo("Delete every dead job of queue default matching task = invoice.import,"
				+ " error contains \"soylent\"? This cannot be undone.");
		confirm.accept();
		assertThat(this.page.text("notice")).isEqualTo("Deleted 55 dead jobs.");
		this.page.await().until(() -> this.page.text("dead-table").contains("No dead jobs match the filter."));
		assertThat(sample.deadIds()).doesNotContainAnyElementsOf(ids);
		this.page.assertNoConsoleErrors();
	}

	@Test
	void sendsTheCsrfTokenOfTheCookieWithEveryWrite() {
		open("#/overview");
		this.page.driver().manage().addCookie(new Cookie("XSRF-TOKEN", "token-123", "/"));
		this.page.click("pause-reports");
		this.page.click("resume-reports");
		this.page.waitFor("pause-reports");
		assertThat(running.dashboard().bean(CsrfHeaders.class).writes())
			.endsWith("/taskq/api/queues/reports/pause token-123", "/taskq/api/queues/reports/resume token-123");
		this.page.assertNoConsoleErrors();
	}

	private String reportsQueue(String column) {
		return this.page.cell("queue-row-reports", column);
	}

	private void open(String hash) {
		this.page.open(running.dashboard(), hash);
	}

}
