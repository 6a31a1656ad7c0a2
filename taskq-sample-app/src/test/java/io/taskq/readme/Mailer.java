package io.taskq.readme;

import java.util.List;

import io.taskq.JobContext;
import io.taskq.annotation.TaskHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

// README's quick start shows this class as it is; ReadmeSnippetsTests checks it.
@Component
class Mailer {

	private static final Log logger = LogFactory.getLog(Mailer.class);

	@TaskHandler("email.send") // queue "default"
	void send(EmailRequest request, JobContext context) { // JobContext is optional
		logger.info("Sending '" + request.subject() + "' to " + request.to() + ", attempt " + context.attempt());
	}

	@TaskHandler(task = "report.build", queue = "reports", maxRetries = "2", timeout = "2m")
	Report build(ReportRequest request) { // what it returns is kept as the job's result
		return new Report(request.customerId(), List.of("..."));
	}

}
