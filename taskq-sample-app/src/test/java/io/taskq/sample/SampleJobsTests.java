package io.taskq.sample;

import java.time.Duration;

import io.taskq.JobId;
import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.sample.SampleJobs.Charge;
import io.taskq.sample.SampleJobs.Invoice;
import io.taskq.test.TaskqTest;
import io.taskq.test.TestJobQueues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's jobs tested as an application's own tests would be: {@code @TaskqTest}
 * starts a Redis for the context, and {@link TestJobQueues} waits for jobs, makes time
 * pass and lists dead letters. (docs/testing.md shows this class.)
 */
@SpringBootTest(properties = "sample.demo-jobs=false")
@TaskqTest
@ExtendWith(OutputCaptureExtension.class)
class SampleJobsTests {

	@Autowired
	JobClient jobs;

	@Autowired
	TestJobQueues queues;

	@Autowired
	DeadJobs deadJobs;

	@Autowired
	SampleJobs sampleJobs;

	@AfterEach
	void clearQueues() {
		this.queues.clear();
	}

	@Test
	void chargeSucceedsOnItsThirdAttempt(CapturedOutput output) {
		this.jobs.enqueue("flaky.charge", new Charge("order-7", 500));
		this.queues.drain();
		assertThat(output).contains("Charged 500 cents for order order-7 on attempt 3");
		assertThat(this.queues.dead("default")).isEmpty();
	}

	@Test
	void reminderRunsWhenItsTimeHasCome(CapturedOutput output) {
		this.jobs.enqueueIn("reminder", "renew the domain", Duration.ofDays(3));
		this.queues.awaitIdle();
		assertThat(output).doesNotContain("renew the domain");
		this.queues.advanceTime(Duration.ofDays(3));
		this.queues.awaitIdle();
		assertThat(output).contains("renew the domain");
	}

	@Test
	void invoiceFromAnUnknownSupplierIsDeadUntilTheSupplierIsAdded(CapturedOutput output) {
		JobId id = this.jobs.enqueue("invoice.import", new Invoice("INV-7", "initech"));
		this.queues.awaitIdle();
		assertThat(this.queues.dead("default")).singleElement().satisfies((dead) -> {
			assertThat(dead.id()).isEqualTo(id);
			assertThat(dead.reason()).contains("Unknown supplier 'initech'");
		});
		this.sampleJobs.addSupplier("initech");
		assertThat(this.deadJobs.retry("default", id)).isTrue();
		this.queues.awaitIdle();
		assertThat(output).contains("Imported invoice INV-7 from initech");
		assertThat(this.queues.dead("default")).extracting(DeadJob::id).doesNotContain(id);
	}

}
