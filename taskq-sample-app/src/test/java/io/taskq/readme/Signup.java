package io.taskq.readme;

import java.time.Duration;

import io.taskq.JobId;
import io.taskq.client.JobClient;

import org.springframework.stereotype.Service;

// README's quick start shows this class as it is; ReadmeSnippetsTests checks it.
@Service
class Signup {

	private final JobClient jobs;

	Signup(JobClient jobs) {
		this.jobs = jobs;
	}

	void signedUp(User user) {
		JobId id = this.jobs.enqueue("email.send", new EmailRequest(user.email(), "Welcome"));
		this.jobs.enqueueIn("email.send", new EmailRequest(user.email(), "How is it going?"), Duration.ofDays(3));
	}

}
