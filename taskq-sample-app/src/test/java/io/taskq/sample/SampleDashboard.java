package io.taskq.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.taskq.client.DeadJob;
import io.taskq.client.DeadJobs;
import io.taskq.testing.RedisServer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * The sample application serving its dashboard on a random port, on a test Redis, and the
 * HTTP calls a test makes to it: the dashboard's API and the sample's own endpoints.
 */
final class SampleDashboard implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final ConfigurableApplicationContext context;

	private final String path;

	private @Nullable String instanceId;

	private SampleDashboard(ConfigurableApplicationContext context, String path) {
		this.context = context;
		this.path = path;
	}

	/**
	 * Starts the sample as {@code java -jar} does, with its application.properties, on
	 * the given Redis. Figures are reported and the page refreshed more often than by
	 * default, so a test sees them without waiting.
	 * @param redis the Redis to use
	 * @param path the dashboard's path
	 * @param readOnly whether the dashboard refuses writes; a read-only one runs no jobs
	 * and enqueues no demo jobs, as a separate monitoring application would
	 * @return the running sample
	 */
	static SampleDashboard start(RedisServer redis, String path, boolean readOnly) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port(), "--spring.main.banner-mode=off",
				"--taskq.stats.report-interval=500ms", "--taskq.dashboard.refresh-interval=500ms",
				"--taskq.dashboard.path=" + path, "--taskq.dashboard.read-only=" + readOnly,
				"--taskq.shutdown-timeout=2s"));
		if (readOnly) {
			arguments.addAll(List.of("--sample.demo-jobs=false", "--taskq.listener.enabled=false",
					"--taskq.recurring.enabled=false", "--logging.level.root=warn"));
		}
		SpringApplication application = new SpringApplication(SampleApplication.class, CsrfHeaders.class);
		return new SampleDashboard(application.run(arguments.toArray(String[]::new)), path);
	}

	/**
	 * Waits until the start-up's jobs are done: all ran (the charge on its third attempt)
	 * but the invoice, dead, and their runs are in the fleet's figures; and notes this
	 * application's instance id.
	 */
	void awaitStartupJobsSettled() {
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			JsonNode queues = api("overview").get("queues");
			long waiting = 0;
			for (JsonNode queue : queues) {
				waiting += queue.get("ready").asLong() + queue.get("running").asLong() + queue.get("delayed").asLong();
			}
			return waiting == 0 && deadCount() == 1 && taskRuns("flaky.charge") == 3 && taskRuns("reminder") == 1
					&& taskRuns("report.build") == 1;
		});
		instanceId();
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	/** The page's address, ending with a slash. */
	String baseUrl() {
		return "http://localhost:" + port() + this.path + "/";
	}

	/**
	 * This application's id among the fleet's instances, as it was when it had started (a
	 * read-only sample started later runs in the same process).
	 */
	String instanceId() {
		if (this.instanceId == null) {
			this.instanceId = await().atMost(Duration.ofSeconds(10))
				.until(this::instanceOfThisProcess, Objects::nonNull);
		}
		return this.instanceId;
	}

	private @Nullable String instanceOfThisProcess() {
		for (JsonNode instance : api("instances").get("instances")) {
			if (instance.get("pid").asLong() == ProcessHandle.current().pid()) {
				return instance.get("id").asString();
			}
		}
		return null;
	}

	long deadCount() {
		return bean(DeadJobs.class).count("default");
	}

	/** The id of the invoice the start-up left dead. */
	String deadInvoiceOfTheStartup() {
		return bean(DeadJobs.class).list("default", 0, 200)
			.stream()
			.filter((job) -> job.task().equals("invoice.import") && job.reason().contains("INV-1001"))
			.map(DeadJob::id)
			.findFirst()
			.orElseThrow()
			.value();
	}

	/**
	 * Enqueues an invoice with the sample's own endpoint and waits until it is dead (its
	 * supplier unknown).
	 * @return the dead job's id
	 */
	String deadInvoice(String number, String supplier) {
		String body = send("POST", "/jobs/invoice?number=" + number + "&supplier=" + supplier).body();
		String id = JSON.readTree(body).get("jobId").asString();
		await().atMost(Duration.ofSeconds(10)).until(() -> deadIds().contains(id));
		return id;
	}

	/** The ids of the dead jobs of the default queue. */
	List<String> deadIds() {
		return bean(DeadJobs.class).list("default", 0, 500).stream().map((job) -> job.id().value()).toList();
	}

	/** A job's state as the dashboard's API answers it, such as {@code SUCCEEDED}. */
	String state(String jobId) {
		return api("jobs/default/" + jobId).get("state").asString();
	}

	/** A queue's row of the overview, as the API answers it. */
	JsonNode queueFigures(String queue) {
		for (JsonNode row : api("overview").get("queues")) {
			if (row.get("name").asString().equals(queue)) {
				return row;
			}
		}
		throw new IllegalStateException("No queue " + queue + " in the overview");
	}

	/** How many runs of a task the fleet's figures count over the last hour. */
	long taskRuns(String task) {
		for (JsonNode row : api("tasks").get("tasks")) {
			if (row.get("task").asString().equals(task)) {
				return row.get("count").asLong();
			}
		}
		return 0;
	}

	/**
	 * A GET of the dashboard's API, such as {@code overview} or
	 * {@code jobs/default/<id>}.
	 */
	JsonNode api(String relative) {
		return JSON.readTree(send("GET", this.path + "/api/" + relative).body());
	}

	/** A call to the sample, as README's curl lines make it. */
	HttpResponse<String> send(String method, String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port() + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(method + " " + path + " was interrupted", ex);
		}
	}

	@Override
	public void close() {
		this.context.close();
	}

}
