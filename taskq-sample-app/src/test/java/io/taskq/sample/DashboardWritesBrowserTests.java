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
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
		this.page.byTestId("retry-all").click();
		Alert confirm = this.page.alert();
		assertThat(confirm.getText())
			.isEqualTo("Retry every dead job of queue default matching error contains \"initech\"?");
		confirm.dismiss();
		assertThat(sample.deadIds()).contains(first, second);

		sample.send("POST", "/suppliers/initech");
		this.page.byTestId("select-" + first).click();
		assertThat(this.page.byTestId("retry-selected").getText()).isEqualTo("Retry 1 selected");
		this.page.byTestId("retry-selected").click();
		assertThat(this.page.waitFor("notice").getText()).isEqualTo("Retried 1 dead job.");
		await().atMost(WAIT)
			.until(() -> this.page.driver().findElements(this.page.testId("dead-row-" + first)).isEmpty());
		this.page.byTestId("retry-all").click();
		this.page.alert().accept();
		await().atMost(WAIT).until(() -> this.page.byTestId("notice").getText().equals("Retried 1 dead job."));
		// Invoices are tracked: each ran, this time to the end.
		await().atMost(WAIT)
			.until(() -> sample.state(first).equals("SUCCEEDED") && sample.state(second).equals("SUCCEEDED"));
		assertThat(sample.deadIds()).doesNotContain(first, second).contains(other);
		this.page.assertNoConsoleErrors();
	}

	@Test
	void pausesAQueueSoItsJobsWaitThenResumesIt() {
		SampleDashboard sample = running.dashboard();
		open("#/overview");
		this.page.waitFor("pause-reports").click();
		assertThat(this.page.waitFor("resume-reports").getText()).isEqualTo("Resume");
		assertThat(this.page.byTestId("notice").getText()).isEqualTo("Queue reports paused.");
		assertThat(reportsQueue("state")).isEqualTo("paused");
		assertThat(sample.queueFigures("reports").get("paused").asBoolean()).isTrue();
		assertThat(sample.bean(QueueControl.class).isPaused("reports")).isTrue();
		ListenerContainerRegistry containers = sample.bean(ListenerContainerRegistry.class);
		await().atMost(WAIT).until(() -> containers.isPaused("reports"));

		long runs = sample.taskRuns("report.build");
		sample.send("POST", "/jobs/report?millis=10");
		await().atMost(WAIT).until(() -> reportsQueue("ready").equals("1"));
		this.page.byTestId("resume-reports").click();
		assertThat(this.page.waitFor("pause-reports").getText()).isEqualTo("Pause");
		assertThat(this.page.byTestId("notice").getText()).isEqualTo("Queue reports resumed.");
		await().atMost(WAIT).until(() -> reportsQueue("ready").equals("0") && reportsQueue("state").equals("active"));
		await().atMost(WAIT).until(() -> sample.taskRuns("report.build") == runs + 1);
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
		this.page.waitFor("select-" + soon).click();
		assertThat(this.page.byTestId("run-now-selected").getText()).isEqualTo("Run now 1 selected");
		this.page.byTestId("run-now-selected").click();
		assertThat(this.page.waitFor("notice").getText()).isEqualTo("Started 1 scheduled job.");
		await().atMost(WAIT).until(() -> sample.state(soon.value()).equals("SUCCEEDED"));
		await().atMost(WAIT)
			.until(() -> this.page.driver().findElements(this.page.testId("scheduled-row-" + soon)).isEmpty());

		this.page.byTestId("scheduled-row-" + later).findElement(By.linkText(later.value())).click();
		assertThat(this.page.waitFor("job-state").getText()).isEqualTo("SCHEDULED");
		assertThat(this.page.byTestId("job-payload").getText()).isEqualTo("\"renew the passport\"");
		assertThat(this.page.byTestId("job-run-now").isDisplayed()).isTrue();
		assertThat(this.page.driver().findElements(this.page.testId("job-retry"))).isEmpty();
		this.page.byTestId("job-delete").click();
		Alert confirm = this.page.alert();
		assertThat(confirm.getText()).isEqualTo("Delete job " + later + "? This cannot be undone.");
		confirm.accept();
		await().atMost(WAIT).until(() -> this.page.driver().getCurrentUrl().endsWith("#/jobs/scheduled?queue=default"));
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
		this.page.waitFor("recurring-pause-report.nightly").click();
		assertThat(this.page.waitFor("recurring-resume-report.nightly").getText()).isEqualTo("Resume");
		assertThat(this.page.byTestId("notice").getText())
			.isEqualTo("report.nightly paused: no occurrence fires until it is resumed.");
		assertThat(this.page.byTestId("recurring-row-report.nightly").getText()).contains("paused");
		assertThat(recurring.list().get(0).paused()).isTrue();
		this.page.byTestId("recurring-resume-report.nightly").click();
		this.page.waitFor("recurring-pause-report.nightly");
		assertThat(recurring.list().get(0).paused()).isFalse();
		this.page.byTestId("recurring-trigger-report.nightly").click();
		assertThat(this.page.waitFor("notice").getText()).isEqualTo("report.nightly enqueued now.");
		await().atMost(WAIT).until(() -> sample.taskRuns("report.nightly") == runs + 1);
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
		await().atMost(WAIT).until(() -> sample.deadIds().containsAll(ids));
		chromium.viewport(1280, 500);
		open("#/jobs/dead?queue=default&task=invoice.import&error=soylent");
		await().atMost(WAIT).until(() -> this.page.rows("dead-table").size() == 50);
		assertThat(this.page.byTestId("jobs-total").getText())
			.matches("50 matching on this page · \\d+ dead jobs in queue default");
		this.page.byTestId("page-next").click();
		await().atMost(WAIT).until(() -> this.page.byTestId("page-number").getText().equals("Page 2"));
		await().atMost(WAIT).until(() -> this.page.rows("dead-table").size() == 5);
		assertThat(this.page.byTestId("page-next").isEnabled()).isFalse();
		this.page.byTestId("page-first").click();
		await().atMost(WAIT).until(() -> this.page.rows("dead-table").size() == 50);

		WebElement box = this.page.waitFor("select-" + this.page.rows("dead-table").get(3).getAttribute("data-key"));
		box.click();
		this.page.script("window.scrollTo(0, 600)");
		for (int i = 0; i < 2; i++) {
			String before = this.page.byTestId("refresh-status").getText();
			await().atMost(WAIT).until(() -> !this.page.byTestId("refresh-status").getText().equals(before));
		}
		assertThat(box.isSelected()).isTrue();
		assertThat(this.page.byTestId("retry-selected").getText()).isEqualTo("Retry 1 selected");
		assertThat(((Number) this.page.script("return window.scrollY")).intValue()).isEqualTo(600);

		this.page.script("window.scrollTo(0, 0)");
		this.page.byTestId("delete-all").click();
		Alert confirm = this.page.alert();
		assertThat(confirm.getText()).isEqualTo("Delete every dead job of queue default matching task = invoice.import,"
				+ " error contains \"soylent\"? This cannot be undone.");
		confirm.accept();
		assertThat(this.page.waitFor("notice").getText()).isEqualTo("Deleted 55 dead jobs.");
		await().atMost(WAIT)
			.until(() -> this.page.byTestId("dead-table").getText().contains("No dead jobs match the filter."));
		assertThat(sample.deadIds()).doesNotContainAnyElementsOf(ids);
		this.page.assertNoConsoleErrors();
	}

	@Test
	void sendsTheCsrfTokenOfTheCookieWithEveryWrite() {
		open("#/overview");
		this.page.driver().manage().addCookie(new Cookie("XSRF-TOKEN", "token-123", "/"));
		this.page.waitFor("pause-reports").click();
		this.page.waitFor("resume-reports").click();
		this.page.waitFor("pause-reports");
		assertThat(running.dashboard().bean(CsrfHeaders.class).writes())
			.endsWith("/taskq/api/queues/reports/pause token-123", "/taskq/api/queues/reports/resume token-123");
		this.page.assertNoConsoleErrors();
	}

	private String reportsQueue(String column) {
		return this.page.cell(this.page.byTestId("queue-row-reports"), column);
	}

	private void open(String hash) {
		this.page.open(running.dashboard(), hash);
	}

}
