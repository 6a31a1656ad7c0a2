package io.taskq.sample;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskq.JobContext;
import io.taskq.NonRetryableJobException;
import io.taskq.annotation.TaskHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * The sample's handlers: one of each kind a real application has.
 */
@Component
public class SampleJobs {

	private static final Log logger = LogFactory.getLog(SampleJobs.class);

	private final ConcurrentHashMap<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	private final Set<String> suppliers = ConcurrentHashMap.newKeySet();

	public SampleJobs() {
		this.suppliers.add("acme");
	}

	/** An ordinary job, run as soon as a worker is free. */
	@TaskHandler("email.send")
	public void sendEmail(EmailRequest request, JobContext context) {
		logger.info("Sent email " + context.jobId() + " to " + request.to() + " (attempt " + context.attempt() + ")");
	}

	/** Runs when due; enqueued with a delay. */
	@TaskHandler("reminder")
	public void remind(String note, JobContext context) {
		long late = System.currentTimeMillis() - context.enqueuedAt().toEpochMilli();
		logger.info("Reminder " + context.jobId() + ": " + note + " (" + late + " ms after it was scheduled)");
	}

	/** Fails twice, then succeeds: shows retries with backoff. */
	@TaskHandler(task = "flaky.charge", maxRetries = "3")
	public void charge(Charge charge, JobContext context) {
		int attempt = this.attempts.computeIfAbsent(context.jobId().value(), (id) -> new AtomicInteger())
			.incrementAndGet();
		if (attempt < 3) {
			throw new IllegalStateException("payment gateway timed out (attempt " + attempt + ")");
		}
		this.attempts.remove(context.jobId().value());
		logger.info("Charged " + charge.cents() + " cents for order " + charge.orderId() + " on attempt " + attempt);
	}

	/** Slow work on its own queue, so it cannot hold up emails. */
	@TaskHandler(task = "report.build", queue = "reports")
	public void buildReport(ReportRequest request, JobContext context) throws InterruptedException {
		long started = System.nanoTime();
		Thread.sleep(request.millis());
		logger.info("Built report " + request.name() + " in " + Duration.ofNanos(System.nanoTime() - started).toMillis()
				+ " ms");
	}

	/**
	 * Recurring: one run a night however many instances run. The dashboard's Recurring
	 * view pauses, resumes or runs it now.
	 */
	@TaskHandler(task = "report.nightly", queue = "reports", cron = "0 0 2 * * *")
	public void buildNightlyReport(JobContext context) {
		logger.info("Built the nightly report (job " + context.jobId() + ")");
	}

	/**
	 * Fails for good while the invoice's supplier is unknown: the sample's start-up
	 * leaves one such job in the dead letters, to be seen, fixed ({@code POST
	 * /suppliers/{name}}) and retried. Tracked, so its outcome can be looked up by id (in
	 * the dashboard, or with {@code JobClient.status}) after the retry.
	 */
	@TaskHandler(task = "invoice.import", track = "true")
	public void importInvoice(Invoice invoice, JobContext context) {
		if (!this.suppliers.contains(invoice.supplier())) {
			throw new NonRetryableJobException("Unknown supplier '" + invoice.supplier() + "' on invoice "
					+ invoice.number() + "; add it with POST /suppliers/" + invoice.supplier() + " and retry job "
					+ context.jobId());
		}
		logger.info("Imported invoice " + invoice.number() + " from " + invoice.supplier());
	}

	void addSupplier(String name) {
		this.suppliers.add(name);
	}

	public record Invoice(String number, String supplier) {
	}

	public record EmailRequest(String to, String subject) {
	}

	public record Charge(String orderId, long cents) {
	}

	public record ReportRequest(String name, long millis) {
	}

}
