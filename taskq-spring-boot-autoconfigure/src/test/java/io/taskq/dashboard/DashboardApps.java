package io.taskq.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskq.JobContext;
import io.taskq.NonRetryableJobException;
import io.taskq.annotation.TaskHandler;
import io.taskq.testing.RedisServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real applications for the dashboard's tests: web instances serving the dashboard, and
 * worker instances without a web server, all on one test Redis and sharing one set of
 * handlers that count their runs by job id.
 */
final class DashboardApps {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private DashboardApps() {
	}

	/**
	 * Spring Security is on the test class path for
	 * {@code DashboardSecurityIntegrationTests}; the other applications leave it off, as
	 * an application without it would be.
	 */
	private static final String WITHOUT_SECURITY = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration";

	static ConfigurableApplicationContext web(RedisServer redis, String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.add(WITHOUT_SECURITY);
		return start(redis, WebApplicationType.SERVLET, List.of(), all.toArray(String[]::new));
	}

	static ConfigurableApplicationContext secured(RedisServer redis, Class<?> security, String... properties) {
		return start(redis, WebApplicationType.SERVLET, List.of(security), properties);
	}

	static ConfigurableApplicationContext worker(RedisServer redis, String... properties) {
		return start(redis, WebApplicationType.NONE, List.of(), properties);
	}

	private static ConfigurableApplicationContext start(RedisServer redis, WebApplicationType type,
			List<Class<?>> extraSources, String... properties) {
		List<String> all = new ArrayList<>(
				List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
						"spring.main.banner-mode=off", "server.port=0", "spring.data.redis.repositories.enabled=false",
						"logging.level.root=WARN", "taskq.stats.report-interval=200ms", "taskq.shutdown-timeout=2s"));
		all.addAll(List.of(properties));
		List<Class<?>> sources = new ArrayList<>(List.of(Boot.class, Handlers.class));
		sources.addAll(extraSources);
		return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).web(type)
			.properties(all.toArray(String[]::new))
			.run();
	}

	/** A JSON answer and its status. */
	record Answer(int status, JsonNode body) {

	}

	static Answer get(ConfigurableApplicationContext app, String path) {
		return send(app, HttpRequest.newBuilder(uri(app, path)).GET());
	}

	static Answer post(ConfigurableApplicationContext app, String path, Object body) {
		return send(app,
				HttpRequest.newBuilder(uri(app, path))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
	}

	/** JSON the API answers as a string field, such as a payload or a result. */
	static JsonNode json(String text) {
		return JSON.readTree(text);
	}

	static HttpResponse<String> raw(ConfigurableApplicationContext app, String path) {
		return raw(app, HttpRequest.newBuilder(uri(app, path)).GET());
	}

	static HttpResponse<String> raw(ConfigurableApplicationContext app, HttpRequest.Builder request) {
		try {
			return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Answer send(ConfigurableApplicationContext app, HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(20)).build(),
					HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), JSON.readTree(response.body()));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static URI uri(ConfigurableApplicationContext app, String path) {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		return URI.create("http://127.0.0.1:" + port + path);
	}

	@SpringBootApplication(scanBasePackages = "none")
	static class Boot {

	}

	/** Handlers shared by every instance; runs counted by job id. */
	static class Handlers {

		static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

		static volatile boolean supplierFixed;

		static void reset() {
			runs.clear();
			supplierFixed = false;
		}

		static int runsOf(String jobId) {
			AtomicInteger count = runs.get(jobId);
			return (count != null) ? count.get() : 0;
		}

		@TaskHandler("mail.send")
		void send(String to, JobContext context) {
			count(context);
		}

		@TaskHandler("report.build")
		void build(int pages, JobContext context) throws InterruptedException {
			count(context);
			Thread.sleep(30);
		}

		@TaskHandler(value = "invoice.import", maxRetries = "0")
		void importInvoice(String supplier, JobContext context) {
			count(context);
			if (!supplierFixed) {
				throw new NonRetryableJobException("Unknown supplier " + supplier);
			}
		}

		@TaskHandler(value = "mail.bounce", maxRetries = "0")
		void bounce(String to, JobContext context) {
			count(context);
			throw new IllegalStateException("SMTP refused " + to);
		}

		/** Returns a value, so its jobs are tracked and keep it as their result. */
		@TaskHandler("price.quote")
		Map<String, Object> quote(String item, JobContext context) {
			count(context);
			return Map.of("item", item, "cents", 1999);
		}

		@TaskHandler(value = "cleanup", every = "1h")
		void cleanup(JobContext context) {
			count(context);
		}

		private static void count(JobContext context) {
			runs.computeIfAbsent(context.jobId().value(), (id) -> new AtomicInteger()).incrementAndGet();
		}

	}

}
