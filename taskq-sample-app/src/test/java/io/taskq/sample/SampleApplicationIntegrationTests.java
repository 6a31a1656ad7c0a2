package io.taskq.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * README command (1): the sample starts its own Redis when none is configured, and its
 * demo jobs (immediate, delayed, failing then recovering, slow) all complete, and the one
 * left dead on purpose is listed, fixed and retried with the HTTP calls README shows.
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationIntegrationTests {

	@Test
	void startsEmbeddedRedisAndRunsEveryKindOfJob(CapturedOutput output) throws Exception {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.addListeners(new EmbeddedRedisStarter());
		try (ConfigurableApplicationContext context = application.run("--server.port=0",
				"--sample.redis-probe-port=" + unusedPort())) {
			assertThat(output).contains("started embedded");
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(output).contains("Sent email")
					.contains("Built report weekly")
					.contains("Charged 1999 cents for order order-42 on attempt 3")
					.contains("Reminder"));
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest
					.newBuilder(URI.create("http://localhost:" + port + "/jobs/email?to=grace@example.com"))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.body()).contains("jobId");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(output).contains("to grace@example.com"));
			// The start-up's invoice from an unknown supplier is dead; README's steps fix
			// it.
			DeadJobs deadJobs = context.getBean(DeadJobs.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> deadJobs.count("default") == 1);
			DeadJob dead = deadJobs.list("default", 0, 10).get(0);
			assertThat(dead.task()).isEqualTo("invoice.import");
			assertThat(dead.reason()).contains("Unknown supplier 'globex'");
			assertThat(send(port, "GET", "/dead/default", null)).contains(dead.id().value());
			assertThat(send(port, "POST", "/suppliers/globex", null)).contains("globex");
			assertThat(send(port, "POST", "/actuator/taskq/default", "{\"jobId\": \"" + dead.id().value() + "\"}"))
				.contains("\"retried\":1");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(output).contains("Imported invoice INV-1001 from globex"));
			assertThat(deadJobs.count("default")).isZero();
			HttpResponse<String> taskq = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/taskq")).build(),
						HttpResponse.BodyHandlers.ofString());
			assertThat(taskq.body()).contains("\"slowestTasks\"").contains("\"report.build\"").contains("\"reports\"");
		}
		// The embedded server stops with the application.
		assertThat(output).doesNotContain("Cannot reconnect");
	}

	/** An HTTP call as README's curl lines make it: JSON body, if any, with its type. */
	private static String send(int port, String method, String path, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		request.method(method,
				(json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
	}

	private static int unusedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
