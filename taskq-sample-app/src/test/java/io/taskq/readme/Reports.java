package io.taskq.readme;

import java.time.Duration;

import io.taskq.JobId;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;

import org.springframework.stereotype.Service;

// README's API section shows monthlyReport; ReadmeSnippetsTests checks it.
@Service
class Reports {

	private final JobClient jobs;

	Reports(JobClient jobs) {
		this.jobs = jobs;
	}

	JobId monthlyReport(User user) {
		return this.jobs.submit(JobRequest.of("report.build", new ReportRequest(user.id()))
			.withDelay(Duration.ofMinutes(5))
			.withMaxRetries(2)
			.withJobId(JobId.of("report-" + user.id()))
			.withHeader("tenant", "acme")
			.withTracking());
	}

}
