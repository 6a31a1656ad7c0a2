package io.taskq.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.taskq.JobId;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.dashboard.DashboardApps.Answer;
import io.taskq.dashboard.DashboardApps.Handlers;
import io.taskq.support.redis.FleetKeys;
import io.taskq.support.redis.FleetScripts;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.TaskqRedisTemplate;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's JSON API on a real Redis, with two instances: a web instance serving
 * the dashboard and a worker without a web server, both running jobs. Every view, the
 * filters, pagination limits, bulk actions and the read-only refusal.
 */
class DashboardApiIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final String API = "/taskq/api";

	@BeforeEach
	void resetHandlers() {
		Handlers.reset();
	}

	@Test
	void instancesOfTheWholeFleetAreListedAndAStoppedOneDropsOut() {
		try (ConfigurableApplicationContext web = writableDashboard("web-1")) {
			try (ConfigurableApplicationContext worker = worker("worker-2")) {
				await().atMost(Duration.ofSeconds(10)).until(() -> instanceIds(web).size() == 2);
				assertThat(instanceIds(web)).containsExactly("web-1", "worker-2");
				JsonNode first = get(web, "/instances").body().get("instances").get(0);
				assertThat(first.get("queues").toString()).contains("default");
				assertThat(first.get("concurrency").asInt()).isEqualTo(10);
				assertThat(first.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
				assertThat(first.get("lastSeenAt").asString()).isNotBlank();
			}
			// A stopping instance takes itself off the list at once.
			assertThat(instanceIds(web)).containsExactly("web-1");
		}
	}

	@Test
	void anInstanceThatDiedWithoutLeavingDropsOutAfterItsHeartbeatsStop() {
		try (ConfigurableApplicationContext web = writableDashboard("web-1")) {
			FleetScripts scripts = new FleetScripts(new TaskqRedisTemplate(web.getBean(RedisConnectionFactory.class)),
					new FleetKeys(KeySpace.DEFAULT_PREFIX));
			// What a killed instance leaves: its last heartbeat, and no leaving.
			scripts.report(System.currentTimeMillis(), "killed-3",
					"{\"id\":\"killed-3\",\"host\":\"h\",\"pid\":1,\"version\":\"\",\"queues\":[\"default\"],"
							+ "\"concurrency\":4,\"busy\":4,\"startedAt\":0}",
					Duration.ofSeconds(1), List.of(), Map.of());
			assertThat(instanceIds(web)).containsExactly("killed-3", "web-1");
			await().atMost(Duration.ofSeconds(5)).until(() -> instanceIds(web).equals(List.of("web-1")));
		}
	}

	@Test
	void tasksAndOverviewCountEveryRunOfEveryInstanceSlowestFirst() {
		try (ConfigurableApplicationContext web = writableDashboard("web-1");
				ConfigurableApplicationContext worker = worker("worker-2")) {
			JobClient jobs = worker.getBean(JobClient.class);
			List<JobId> ids = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				ids.add(jobs.enqueue("mail.send", "user" + i + "@example.com"));
			}
			for (int i = 0; i < 10; i++) {
				ids.add(jobs.enqueue("report.build", i));
			}
			await().atMost(Duration.ofSeconds(20))
				.until(() -> ids.stream().allMatch((id) -> Handlers.runsOf(id.value()) == 1));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> taskCount(web, "mail.send") == 40 && taskCount(web, "report.build") == 10);
			JsonNode tasks = get(web, "/tasks?range=hour").body().get("tasks");
			assertThat(tasks.get(0).get("task").asString()).isEqualTo("report.build");
			JsonNode report = tasks.get(0);
			assertThat(report.get("meanMillis").asDouble()).isGreaterThanOrEqualTo(30);
			assertThat(report.get("p95Millis").asDouble()).isGreaterThanOrEqualTo(30);
			assertThat(report.get("maxMillis").asDouble()).isGreaterThanOrEqualTo(report.get("p95Millis").asDouble());
			assertThat(report.get("failed").asLong()).isZero();
			assertThat(report.get("trend")).hasSize(60);
			assertThat(get(web, "/tasks?range=day").body().get("tasks").get(0).get("count").asLong()).isEqualTo(10);

			JsonNode slowRuns = get(web, "/tasks/default/report.build/slow-runs").body().get("runs");
			assertThat(slowRuns).isNotEmpty();
			assertThat(slowRuns.get(0).get("durationMillis").asDouble()).isGreaterThanOrEqualTo(30);
			assertThat(ids.stream().map(JobId::value).toList()).contains(slowRuns.get(0).get("jobId").asString());

			JsonNode overview = get(web, "/overview?range=hour").body();
			assertThat(overview.get("series").get("processedPerSecond")).hasSize(60);
			assertThat(overview.get("series").get("stepSeconds").asLong()).isEqualTo(60);
			assertThat(overview.get("latency").get("count").asLong()).isEqualTo(50);
			assertThat(overview.get("latency").get("p95Millis").asDouble())
				.isLessThanOrEqualTo(overview.get("latency").get("maxMillis").asDouble());
			JsonNode queue = overview.get("queues").get(0);
			assertThat(queue.get("name").asString()).isEqualTo("default");
			assertThat(queue.get("ready").asLong()).isZero();
			assertThat(queue.get("paused").asBoolean()).isFalse();
		}
	}

	@Test
	void deadJobsAreFilteredPagedShownAndRetriedByFilterAndThenRun() {
		try (ConfigurableApplicationContext web = writableDashboard("web-1")) {
			JobClient jobs = web.getBean(JobClient.class);
			Set<String> invoices = new HashSet<>();
			for (int i = 0; i < 5; i++) {
				invoices.add(jobs.enqueue("invoice.import", "acme-" + i).value());
			}
			List<String> bounces = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				bounces.add(jobs.enqueue("mail.bounce", "nobody" + i + "@example.com").value());
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> deadCount(web) == 8);

			assertThat(ids(get(web, "/jobs/dead?queue=default&task=invoice.import").body())).isEqualTo(invoices);
			assertThat(ids(get(web, "/jobs/dead?queue=default&error=smtp").body()))
				.containsExactlyInAnyOrderElementsOf(bounces);
			assertThat(ids(get(web, "/jobs/dead?queue=default&error=NonRetryable").body())).isEqualTo(invoices);
			assertThat(ids(get(web, "/jobs/dead?queue=default&to=2000-01-01T00:00:00Z").body())).isEmpty();

			// Pages of 3 over the 5 invoices: 3, then 2 and the end.
			JsonNode first = get(web, "/jobs/dead?queue=default&task=invoice.import&limit=3").body();
			assertThat(first.get("jobs")).hasSize(3);
			assertThat(first.get("total").asLong()).isEqualTo(8);
			String cursor = first.get("nextCursor").asString();
			JsonNode second = get(web, "/jobs/dead?queue=default&task=invoice.import&limit=3&cursor=" + cursor).body();
			assertThat(second.get("jobs")).hasSize(2);
			assertThat(second.get("nextCursor").isNull()).isTrue();
			Set<String> paged = new HashSet<>(ids(first));
			paged.addAll(ids(second));
			assertThat(paged).isEqualTo(invoices);

			String invoice = invoices.iterator().next();
			JsonNode detail = get(web, "/jobs/default/" + invoice).body();
			assertThat(detail.get("state").asString()).isEqualTo("DEAD");
			assertThat(detail.get("task").asString()).isEqualTo("invoice.import");
			assertThat(detail.get("reason").asString()).contains("Unknown supplier acme-");
			assertThat(detail.get("errorType").asString()).isEqualTo("io.taskq.NonRetryableJobException");
			assertThat(detail.get("payload").isNull()).isTrue();
			assertThat(detail.get("payloadHidden").asBoolean()).isTrue();
			assertThat(get(web, "/jobs/default/no-such-job").status()).isEqualTo(404);

			Handlers.supplierFixed = true;
			Answer retried = post(web, "/jobs/dead/retry",
					Map.of("queue", "default", "filter", Map.of("task", "invoice.import")));
			assertThat(retried.status()).isEqualTo(200);
			assertThat(retried.body().get("affected").asLong()).isEqualTo(5);
			assertThat(retried.body().get("more").asBoolean()).isFalse();
			await().atMost(Duration.ofSeconds(20))
				.until(() -> invoices.stream().allMatch((id) -> Handlers.runsOf(id) == 2));
			assertThat(deadCount(web)).isEqualTo(3);

			Answer deleted = post(web, "/jobs/dead/delete", Map.of("queue", "default", "ids", bounces.subList(0, 2)));
			assertThat(deleted.body().get("affected").asLong()).isEqualTo(2);
			assertThat(ids(get(web, "/jobs/dead?queue=default&task=mail.bounce").body()))
				.containsExactly(bounces.get(2));
		}
	}

	/** Pins a bug: the tracked status answered its job id as {"value": "..."}. */
	@Test
	void aTrackedJobIsFoundByIdAfterItRanWithTheDocumentedStatusAndItsResult() {
		try (ConfigurableApplicationContext web = writableDashboard("web-1")) {
			String quote = web.getBean(JobClient.class).enqueue("price.quote", "tea").value();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> get(web, "/jobs/default/" + quote).body().get("state").asString().equals("SUCCEEDED"));
			JsonNode detail = get(web, "/jobs/default/" + quote).body();
			assertThat(detail.get("id").asString()).isEqualTo(quote);
			assertThat(detail.get("task").isNull()).isTrue();
			assertThat(detail.get("headers").isEmpty()).isTrue();
			JsonNode tracked = detail.get("tracked");
			assertThat(tracked.propertyNames()).containsExactly("state", "attempt", "updatedAt", "result", "error");
			assertThat(tracked.get("state").asString()).isEqualTo("SUCCEEDED");
			assertThat(tracked.get("attempt").asInt()).isEqualTo(1);
			assertThat(tracked.get("updatedAt").asString()).isNotBlank();
			assertThat(tracked.get("error").isNull()).isTrue();
			JsonNode result = DashboardApps.json(tracked.get("result").asString());
			assertThat(result.get("item").asString()).isEqualTo("tea");
			assertThat(result.get("cents").asInt()).isEqualTo(1999);
		}
	}

	@Test
	void scheduledJobsAreListedByTaskRunNowAndDeleted() {
		try (ConfigurableApplicationContext web = writableDashboard("web-1")) {
			JobClient jobs = web.getBean(JobClient.class);
			List<String> reports = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				reports.add(jobs.enqueueIn("report.build", i, Duration.ofHours(1 + i)).value());
			}
			String mail = jobs.enqueueIn("mail.send", "later@example.com", Duration.ofHours(2)).value();

			JsonNode all = get(web, "/jobs/scheduled?queue=default").body();
			assertThat(all.get("total").asLong()).isEqualTo(4);
			assertThat(ids(all)).containsExactly(reports.get(0), reports.get(1), mail, reports.get(2));
			JsonNode byTask = get(web, "/jobs/scheduled?queue=default&task=report.build").body();
			assertThat(ids(byTask)).containsExactly(reports.toArray(String[]::new));
			assertThat(byTask.get("jobs").get(0).get("retrying").asBoolean()).isFalse();
			assertThat(get(web, "/jobs/default/" + mail).body().get("state").asString()).isEqualTo("SCHEDULED");

			Answer runNow = post(web, "/jobs/scheduled/run-now", Map.of("queue", "default", "ids", List.of(mail)));
			assertThat(runNow.body().get("affected").asLong()).isEqualTo(1);
			await().atMost(Duration.ofSeconds(10)).until(() -> Handlers.runsOf(mail) == 1);

			Answer deleted = post(web, "/jobs/scheduled/delete", Map.of("queue", "default", "filter", Map.of("task",
					"report.build", "to", java.time.Instant.now().plus(Duration.ofMinutes(150)).toString())));
			assertThat(deleted.body().get("affected").asLong()).isEqualTo(2);
			assertThat(ids(get(web, "/jobs/scheduled?queue=default").body())).containsExactly(reports.get(2));
			assertThat(reports.stream().mapToInt(Handlers::runsOf).sum()).isZero();
		}
	}

	@Test
	void queuesPauseAndResumeAndRecurringJobsAreListedAndTriggered() {
		try (ConfigurableApplicationContext web = writableDashboard("web-1")) {
			Answer paused = post(web, "/queues/default/pause", Map.of());
			assertThat(paused.body().get("paused").asBoolean()).isTrue();
			assertThat(get(web, "/overview").body().get("queues").get(0).get("paused").asBoolean()).isTrue();
			String held = web.getBean(JobClient.class).enqueue("mail.send", "held@example.com").value();
			assertThat(post(web, "/queues/default/resume", Map.of()).body().get("paused").asBoolean()).isFalse();
			await().atMost(Duration.ofSeconds(10)).until(() -> Handlers.runsOf(held) == 1);

			JsonNode recurring = get(web, "/recurring").body().get("jobs").get(0);
			assertThat(recurring.get("name").asString()).isEqualTo("cleanup");
			assertThat(recurring.get("schedule").asString()).isEqualTo("every 1h");
			assertThat(recurring.get("nextFireAt").asString()).isNotBlank();
			Answer triggered = post(web, "/recurring/cleanup/trigger", Map.of());
			String jobId = triggered.body().get("jobId").asString();
			await().atMost(Duration.ofSeconds(10)).until(() -> Handlers.runsOf(jobId) == 1);
			assertThat(post(web, "/recurring/cleanup/pause", Map.of()).body().get("job").get("paused").asBoolean())
				.isTrue();
			assertThat(post(web, "/recurring/nope/pause", Map.of()).status()).isEqualTo(400);
		}
	}

	@Test
	void aReadOnlyDashboardRefusesEveryWriteAndSaysHowToAllowIt() {
		try (ConfigurableApplicationContext web = DashboardApps.web(redis.server(), "taskq.dashboard.enabled=true",
				"taskq.consumer-name=web-ro")) {
			assertThat(get(web, "/config").body().get("readOnly").asBoolean()).isTrue();
			for (String path : List.of("/jobs/dead/retry", "/jobs/dead/delete", "/jobs/scheduled/run-now",
					"/jobs/scheduled/delete", "/queues/default/pause", "/recurring/cleanup/trigger")) {
				Answer refused = post(web, path, Map.of("queue", "default", "ids", List.of("x")));
				assertThat(refused.status()).as(path).isEqualTo(403);
				assertThat(refused.body().get("error").asString()).contains("taskq.dashboard.read-only=false");
			}
			assertThat(web.getBean(io.taskq.client.QueueControl.class).isPaused("default")).isFalse();
		}
	}

	@Test
	void limitsAndBadInputAreRefusedWithTheirFix() {
		try (ConfigurableApplicationContext web = writableDashboard("web-1")) {
			Answer tooMany = get(web, "/jobs/dead?queue=default&limit=500");
			assertThat(tooMany.status()).isEqualTo(400);
			assertThat(tooMany.body().get("error").asString()).contains("limit must be between 1 and 200");
			assertThat(get(web, "/jobs/dead?queue=default&cursor=abc").status()).isEqualTo(400);
			Answer badTime = get(web, "/jobs/scheduled?queue=default&from=yesterday");
			assertThat(badTime.status()).isEqualTo(400);
			assertThat(badTime.body().get("error").asString()).contains("ISO-8601");
			assertThat(get(web, "/overview?range=week").body().get("error").asString()).contains("use hour or day");
			Answer noSelection = post(web, "/jobs/dead/retry", Map.of("queue", "default"));
			assertThat(noSelection.status()).isEqualTo(400);
			assertThat(noSelection.body().get("error").asString()).contains("\"filter\"");
		}
	}

	@Test
	void thePageAndItsAssetsAreServedUnderTheConfiguredPath() {
		try (ConfigurableApplicationContext web = DashboardApps.web(redis.server(), "taskq.dashboard.enabled=true",
				"taskq.dashboard.path=/admin/jobs", "taskq.consumer-name=web-path")) {
			var redirect = DashboardApps.raw(web, "/admin/jobs");
			assertThat(redirect.statusCode()).isEqualTo(302);
			assertThat(redirect.headers().firstValue("Location")).hasValue("jobs/");
			var page = DashboardApps.raw(web, "/admin/jobs/");
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.body()).contains("assets/dashboard.js");
			assertThat(DashboardApps.raw(web, "/admin/jobs/assets/vendor/uPlot.iife.min.js").statusCode())
				.isEqualTo(200);
			assertThat(DashboardApps.raw(web, "/admin/jobs/api/config").statusCode()).isEqualTo(200);
			assertThat(DashboardApps.raw(web, "/taskq/api/config").statusCode()).isEqualTo(404);
		}
	}

	private static ConfigurableApplicationContext writableDashboard(String name) {
		return DashboardApps.web(redis.server(), "taskq.dashboard.enabled=true", "taskq.dashboard.read-only=false",
				"taskq.consumer-name=" + name);
	}

	private static ConfigurableApplicationContext worker(String name) {
		return DashboardApps.worker(redis.server(), "taskq.consumer-name=" + name);
	}

	private static Answer get(ConfigurableApplicationContext app, String path) {
		return DashboardApps.get(app, API + path);
	}

	private static Answer post(ConfigurableApplicationContext app, String path, Object body) {
		return DashboardApps.post(app, API + path, body);
	}

	private static List<String> instanceIds(ConfigurableApplicationContext web) {
		List<String> ids = new ArrayList<>();
		get(web, "/instances").body().get("instances").forEach((instance) -> ids.add(instance.get("id").asString()));
		return ids;
	}

	private static long taskCount(ConfigurableApplicationContext web, String task) {
		for (JsonNode summary : get(web, "/tasks?range=hour").body().get("tasks")) {
			if (summary.get("task").asString().equals(task)) {
				return summary.get("count").asLong();
			}
		}
		return 0;
	}

	private static long deadCount(ConfigurableApplicationContext web) {
		return get(web, "/jobs/dead?queue=default").body().get("total").asLong();
	}

	private static Set<String> ids(JsonNode page) {
		Set<String> ids = new java.util.LinkedHashSet<>();
		page.get("jobs").forEach((job) -> ids.add(job.get("id").asString()));
		return ids;
	}

}
