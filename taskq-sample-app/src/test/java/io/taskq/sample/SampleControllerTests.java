package io.taskq.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.taskq.sample.SampleJobs.EmailRequest;
import io.taskq.test.CapturedJobs;
import io.taskq.test.TaskqTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's HTTP endpoints without Redis: {@code @TaskqTest(mode = CAPTURE)} records
 * what they enqueue. (docs/testing.md shows this class.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.demo-jobs=false")
@TaskqTest(mode = TaskqTest.Mode.CAPTURE)
class SampleControllerTests {

	@LocalServerPort
	int port;

	@Autowired
	CapturedJobs captured;

	@Test
	void postingAnEmailEnqueuesOneWithItsAddress() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + this.port + "/jobs/email?to=grace@example.com"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.captured.payloads("email.send", EmailRequest.class))
			.containsExactly(new EmailRequest("grace@example.com", "Hello"));
		assertThat(response.body()).contains(this.captured.jobs("email.send").get(0).id().value());
	}

}
