package io.taskq.sample;

import java.time.Duration;

import io.taskq.client.JobClient;
import io.taskq.sample.SampleJobs.Charge;
import io.taskq.sample.SampleJobs.EmailRequest;
import io.taskq.sample.SampleJobs.Invoice;
import io.taskq.sample.SampleJobs.ReportRequest;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Enqueues one job of each kind at start-up, so the log shows taskq at work at once.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.demo-jobs", matchIfMissing = true)
class DemoJobs implements ApplicationRunner {

	private final JobClient jobs;

	DemoJobs(JobClient jobs) {
		this.jobs = jobs;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.jobs.enqueue("email.send", new EmailRequest("ada@example.com", "Welcome"));
		this.jobs.enqueueIn("reminder", "the demo started 3 s ago", Duration.ofSeconds(3));
		this.jobs.enqueue("flaky.charge", new Charge("order-42", 1999));
		this.jobs.enqueue("report.build", new ReportRequest("weekly", 1500));
		// Dead on arrival (its supplier is unknown), so the dead letters have one to
		// show.
		this.jobs.enqueue("invoice.import", new Invoice("INV-1001", "globex"));
	}

}
