package io.taskq.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.taskq.JobId;
import io.taskq.dashboard.DashboardStubJson.DeadJob;
import io.taskq.dashboard.DashboardStubJson.Instance;
import io.taskq.dashboard.DashboardStubJson.Latency;
import io.taskq.dashboard.DashboardStubJson.Recurring;
import io.taskq.dashboard.DashboardStubJson.ScheduledJob;
import io.taskq.dashboard.DashboardStubJson.Series;
import io.taskq.dashboard.DashboardStubJson.SlowRun;
import io.taskq.dashboard.DashboardStubJson.Task;
import org.jspecify.annotations.Nullable;

/**
 * Made-up but plausible figures for the stub: three queues (one paused), enough dead and
 * scheduled jobs for several pages, and one dead job whose reason, headers and payload
 * hold HTML, so a test sees that the page shows user data as text.
 */
final class DashboardStubFixtures {

	static final String HOSTILE_REASON = "Template failed: <img src=x onerror=\"window.taskqXss=1\"> "
			+ "<script>window.taskqXss=2</script>";

	static final String HOSTILE_PAYLOAD = "{\"title\":\"<b>Q3</b>\",\"html\":\"<img src=x onerror=window.taskqXss=3>\"}";

	private static final String[] DEAD_TASKS = { "mail.send", "webhook.deliver", "image.resize", "report.render" };

	private static final String[][] ERRORS = {
			{ "org.springframework.mail.MailSendException", "Mail server connection failed: Connection refused" },
			{ "java.net.SocketTimeoutException", "Read timed out after 10000 ms" },
			{ "io.taskq.JobTimeoutException", "Run exceeded its timeout of PT30S" },
			{ "java.lang.IllegalStateException", "Customer 4411 has no billing address" } };

	private DashboardStubFixtures() {
	}

	static String hostileJobId() {
		return "01HOSTILE00000000000000000";
	}

	static List<DeadJob> deadJobs(String queue, int count, Instant now) {
		Random random = new Random(queue.hashCode());
		List<DeadJob> jobs = new ArrayList<>();
		if (queue.equals("default")) {
			jobs.add(new DeadJob(hostileJobId(), queue, "report.render", HOSTILE_REASON,
					"org.example.TemplateException", 4, now.minus(Duration.ofMinutes(9)).toString(),
					now.minus(Duration.ofMinutes(1)).toString()));
		}
		for (int i = jobs.size(); i < count; i++) {
			String[] error = ERRORS[random.nextInt(ERRORS.length)];
			Instant failed = now.minus(Duration.ofMinutes(3L + i * 7L + random.nextInt(5)));
			jobs.add(new DeadJob(JobId.generate().value(), queue, DEAD_TASKS[random.nextInt(DEAD_TASKS.length)],
					error[1], error[0], 4, failed.minus(Duration.ofMinutes(5 + random.nextInt(30))).toString(),
					failed.toString()));
		}
		jobs.sort(Comparator.comparing((DeadJob job) -> Instant.parse(job.failedAt())).reversed());
		return jobs;
	}

	static List<ScheduledJob> scheduledJobs(String queue, int count, Instant now) {
		Random random = new Random(queue.hashCode() + 1);
		List<ScheduledJob> jobs = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			boolean retrying = random.nextInt(4) == 0;
			Instant due = now.plus(Duration.ofSeconds(20L + i * 45L + random.nextInt(30)));
			jobs.add(new ScheduledJob(JobId.generate().value(), queue, DEAD_TASKS[random.nextInt(DEAD_TASKS.length)],
					due.toString(), retrying ? 1 + random.nextInt(3) : 0, retrying));
		}
		return jobs;
	}

	static Series series(String range, Instant now) {
		boolean day = "day".equals(range);
		int step = day ? 600 : 60;
		int points = day ? 144 : 60;
		Instant start = now.truncatedTo(ChronoUnit.MINUTES).minusSeconds((long) step * (points - 1));
		Random random = new Random(points);
		List<Double> processed = new ArrayList<>();
		List<Double> failed = new ArrayList<>();
		for (int i = 0; i < points; i++) {
			double rate = 42 + 24 * Math.sin(i / 7.0) + random.nextDouble() * 8;
			processed.add(Math.round(rate * 100) / 100.0);
			double failures = (i % 17 == 5) ? 3.5 + random.nextDouble() : random.nextDouble() * 0.6;
			failed.add(Math.round(failures * 100) / 100.0);
		}
		return new Series(day ? "day" : "hour", step, start.toString(), processed, failed);
	}

	static Latency latency(String range) {
		return "day".equals(range) ? new Latency(211_904, 61, 14, 240, 41_200) : new Latency(9_182, 38, 11, 190, 2_950);
	}

	static List<Task> tasks(String range) {
		int points = "day".equals(range) ? 144 : 60;
		List<Task> tasks = new ArrayList<>();
		tasks.add(task("reports", "report.monthly", 12, 0, 38_000, 61_500, 64_010, points, 3));
		tasks.add(task("default", "report.render", 1_240, 31, 820, 2_400, 9_100, points, 1));
		tasks.add(task("default", "webhook.deliver", 3_310, 402, 310, 1_900, 10_000, points, 1));
		tasks.add(task("emails", "newsletter.deliver", 880, 2, 140, 420, 1_310, points, 2));
		tasks.add(task("default", "image.resize", 5_004, 9, 95, 230, 780, points, 1));
		tasks.add(task("default", "mail.send", 8_120, 0, 41, 88, 350, points, 1));
		return tasks;
	}

	private static Task task(String queue, String name, long count, long failed, long mean, long p95, long max,
			int points, int every) {
		Random random = new Random(name.hashCode());
		List<@Nullable Long> trend = new ArrayList<>();
		for (int i = 0; i < points; i++) {
			trend.add((i % every != 0 || random.nextInt(12) == 0) ? null
					: Math.round(mean * (0.7 + random.nextDouble() * 0.6 + (i > points * 3 / 4 ? 0.3 : 0))));
		}
		return new Task(queue, name, count, failed, (double) failed / count, mean, p95, max, trend);
	}

	static List<SlowRun> slowRuns(String task, long p95, Instant now) {
		Random random = new Random(task.hashCode());
		List<SlowRun> runs = new ArrayList<>();
		long duration = p95 * 3;
		for (int i = 0; i < 8; i++) {
			duration = Math.max(1, duration - random.nextInt((int) Math.max(2, p95 / 3)));
			runs.add(new SlowRun(JobId.generate().value(), duration,
					now.minus(Duration.ofMinutes(10L + random.nextInt(1400))).toString(),
					(i % 2 == 0) ? "worker-1.internal:4211" : "worker-2.internal:3977", i == 2));
		}
		return runs;
	}

	static List<Recurring> recurring(Instant now) {
		Instant hour = now.truncatedTo(ChronoUnit.HOURS);
		Instant quarter = Instant.ofEpochSecond(now.getEpochSecond() / 900 * 900);
		return new ArrayList<>(List.of(
				new Recurring("nightly-report", "reports", "0 0 2 * * *", "run-once", false,
						now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(2)).minus(Duration.ofDays(1)).toString(),
						now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(26)).toString()),
				new Recurring("cleanup-expired", "default", "every PT15M", "skip", false, quarter.toString(),
						quarter.plus(Duration.ofMinutes(15)).toString()),
				new Recurring("weekly-digest", "emails", "0 0 8 * * MON (Europe/Paris)", "skip", true,
						hour.minus(Duration.ofDays(3)).toString(), null)));
	}

	static List<Instance> instances(Instant now) {
		return List.of(
				new Instance("b7f3c1e2", "worker-1.internal", 4211, "0.1.0-SNAPSHOT", List.of("default", "reports"), 16,
						5, now.minus(Duration.ofHours(26)).toString(), now.minusSeconds(2).toString()),
				new Instance("9a04d6ff", "worker-2.internal", 3977, "0.1.0-SNAPSHOT",
						List.of("default", "reports", "emails"), 16, 14, now.minus(Duration.ofMinutes(47)).toString(),
						now.minusSeconds(4).toString()));
	}

	static Map<String, String> headers(boolean hostile) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
		headers.put("tenant", hostile ? "<i>acme</i>" : "acme");
		return headers;
	}

	static String stackTrace(String type, String reason) {
		StringBuilder trace = new StringBuilder(type).append(": ").append(reason);
		String[] frames = { "org.example.reports.TemplateRenderer.render(TemplateRenderer.java:88)",
				"org.example.reports.ReportJobs.render(ReportJobs.java:41)",
				"java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
				"java.base/java.lang.reflect.Method.invoke(Method.java:580)",
				"io.taskq.listener.adapter.HandlerInvoker.invoke(HandlerInvoker.java:52)",
				"io.taskq.listener.JobRunner.run(JobRunner.java:130)" };
		for (int i = 0; i < 3; i++) {
			for (String frame : frames) {
				trace.append("\n\tat ").append(frame);
			}
			if (i < 2) {
				trace.append("\nCaused by: java.io.IOException: nested cause ").append(i + 1);
			}
		}
		return trace.toString();
	}

}
