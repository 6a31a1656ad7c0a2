package io.taskq.dashboard;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The shapes of docs/dashboard.md's JSON API, as the stub answers them. Instants are
 * ISO-8601 strings already, so no Jackson setting can change how they look.
 */
final class DashboardStubJson {

	private DashboardStubJson() {
	}

	record Config(boolean readOnly, boolean showPayloads, long refreshMillis, List<String> queues) {
	}

	record Queue(String name, long ready, long running, long delayed, long dead, @Nullable Long lag,
			@Nullable Long oldestWaitMillis, boolean paused) {
	}

	record Series(String range, int stepSeconds, String start, List<Double> processedPerSecond,
			List<Double> failedPerSecond) {
	}

	record Latency(long count, long meanMillis, long p50Millis, long p95Millis, long maxMillis) {
	}

	record Overview(List<Queue> queues, Series series, Latency latency) {
	}

	record Task(String queue, String task, long count, long failed, double failureRate, long meanMillis, long p95Millis,
			long maxMillis, List<@Nullable Long> trend) {
	}

	record Tasks(List<Task> tasks) {
	}

	record SlowRun(String jobId, long durationMillis, String finishedAt, String instance, boolean failed) {
	}

	record SlowRuns(List<SlowRun> runs) {
	}

	record ScheduledJob(String id, String queue, String task, String dueAt, int attempt, boolean retrying) {
	}

	record DeadJob(String id, String queue, String task, String reason, String errorType, int attempts,
			String enqueuedAt, String failedAt) {
	}

	record Page<T>(List<T> jobs, @Nullable String nextCursor, long total) {
	}

	record Tracked(String state, int attempt, String updatedAt, @Nullable Object result, @Nullable String error) {
	}

	record Job(String id, String queue, String task, String state, int attempt, Map<String, String> headers,
			@Nullable String reason, @Nullable String errorType, @Nullable String stackTrace,
			@Nullable String enqueuedAt, @Nullable String dueAt, @Nullable String failedAt, @Nullable Object payload,
			boolean payloadHidden, @Nullable Tracked tracked) {
	}

	record Recurring(String name, String queue, String schedule, String misfire, boolean paused,
			@Nullable String lastFireAt, @Nullable String nextFireAt) {
	}

	record RecurringJobs(List<Recurring> jobs) {
	}

	record Instance(String id, String host, long pid, String version, List<String> queues, int concurrency, int busy,
			String startedAt, String lastSeenAt) {
	}

	record Instances(List<Instance> instances) {
	}

	record Filter(@Nullable String task, @Nullable String error, @Nullable String from, @Nullable String to) {
	}

	record Selection(@Nullable String queue, @Nullable List<String> ids, @Nullable Filter filter) {
	}

	record Affected(int affected) {
	}

	record QueueState(String queue, boolean paused) {
	}

	record Error(String error) {
	}

	/** A write the page sent, for tests to check the body and the CSRF header. */
	record Write(String path, @Nullable String csrfToken, @Nullable Object body) {
	}

}
