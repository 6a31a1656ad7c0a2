package io.taskq.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.taskq.JobId;
import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.sample.SampleJobs.Charge;
import io.taskq.sample.SampleJobs.EmailRequest;
import io.taskq.sample.SampleJobs.Invoice;
import io.taskq.sample.SampleJobs.ReportRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Enqueue jobs over HTTP:
 * {@code curl -X POST localhost:8080/jobs/email?to=ada@example.com}.
 */
@RestController
class SampleController {

	private final JobClient jobs;

	private final DeadJobs deadJobs;

	private final SampleJobs handlers;

	SampleController(JobClient jobs, DeadJobs deadJobs, SampleJobs handlers) {
		this.jobs = jobs;
		this.deadJobs = deadJobs;
		this.handlers = handlers;
	}

	@PostMapping("/jobs/email")
	Map<String, String> email(@RequestParam(defaultValue = "ada@example.com") String to) {
		return id(this.jobs.enqueue("email.send", new EmailRequest(to, "Hello")));
	}

	@PostMapping("/jobs/reminder")
	Map<String, String> reminder(@RequestParam(defaultValue = "5") long seconds) {
		return id(this.jobs.enqueueIn("reminder", "stand up and stretch", Duration.ofSeconds(seconds)));
	}

	@PostMapping("/jobs/charge")
	Map<String, String> charge(@RequestParam(defaultValue = "order-1") String order) {
		return id(this.jobs.enqueue("flaky.charge", new Charge(order, 1999)));
	}

	@PostMapping("/jobs/report")
	Map<String, String> report(@RequestParam(defaultValue = "2000") long millis) {
		return id(this.jobs.enqueue("report.build", new ReportRequest("monthly", millis)));
	}

	@PostMapping("/jobs/invoice")
	Map<String, String> invoice(@RequestParam(defaultValue = "INV-2001") String number,
			@RequestParam(defaultValue = "acme") String supplier) {
		return id(this.jobs.enqueue("invoice.import", new Invoice(number, supplier)));
	}

	@PostMapping("/suppliers/{name}")
	Map<String, String> supplier(@PathVariable String name) {
		this.handlers.addSupplier(name);
		return Map.of("supplier", name);
	}

	@GetMapping("/dead/{queue}")
	List<DeadJob> dead(@PathVariable String queue) {
		return this.deadJobs.list(queue, 0, 50);
	}

	private static Map<String, String> id(JobId id) {
		return Map.of("jobId", id.value());
	}

}
