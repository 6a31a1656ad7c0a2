package io.taskq.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import io.taskq.dashboard.DashboardStubJson.DeadJob;
import io.taskq.dashboard.DashboardStubJson.Filter;
import io.taskq.dashboard.DashboardStubJson.Job;
import io.taskq.dashboard.DashboardStubJson.Overview;
import io.taskq.dashboard.DashboardStubJson.Page;
import io.taskq.dashboard.DashboardStubJson.Queue;
import io.taskq.dashboard.DashboardStubJson.Recurring;
import io.taskq.dashboard.DashboardStubJson.ScheduledJob;
import io.taskq.dashboard.DashboardStubJson.SlowRun;
import io.taskq.dashboard.DashboardStubJson.Task;
import io.taskq.dashboard.DashboardStubJson.Tracked;
import io.taskq.dashboard.DashboardStubJson.Write;
import org.jspecify.annotations.Nullable;

/**
 * The stub's fleet, in memory: writes change it (a retried dead job leaves the list, a
 * paused queue shows paused), and a test can {@link #reset()} it, read it, switch the API
 * off to see the page lose its connection, and read the writes the page sent.
 */
final class DashboardStubData {

	/** As the real API: a page examines at most this many jobs. */
	private static final int SCAN = 1000;

	private final List<Queue> queues = new ArrayList<>();

	private final Map<String, List<DeadJob>> dead = new LinkedHashMap<>();

	private final Map<String, List<ScheduledJob>> scheduled = new LinkedHashMap<>();

	private final List<Recurring> recurring = new ArrayList<>();

	private final List<Write> writes = new ArrayList<>();

	private Instant now = Instant.now();

	private volatile boolean down;

	private volatile @Nullable String writeFailure;

	DashboardStubData() {
		reset();
	}

	synchronized void reset() {
		this.now = Instant.now();
		this.queues.clear();
		this.queues.add(new Queue("default", 128, 12, 75, 120, 131L, 4_200L, false));
		this.queues.add(new Queue("reports", 3, 1, 3, 2, 3L, 61_000L, false));
		this.queues.add(new Queue("emails", 2_410, 0, 0, 0, 2_410L, 3_720_000L, true));
		this.dead.clear();
		this.scheduled.clear();
		for (Queue queue : this.queues) {
			this.dead.put(queue.name(), DashboardStubFixtures.deadJobs(queue.name(), (int) queue.dead(), this.now));
			this.scheduled.put(queue.name(),
					DashboardStubFixtures.scheduledJobs(queue.name(), (int) queue.delayed(), this.now));
		}
		this.recurring.clear();
		this.recurring.addAll(DashboardStubFixtures.recurring(this.now));
		this.writes.clear();
		this.down = false;
		this.writeFailure = null;
	}

	synchronized List<String> queueNames() {
		return this.queues.stream().map(Queue::name).toList();
	}

	synchronized Overview overview(String range) {
		List<Queue> answer = this.queues.stream()
			.map((q) -> new Queue(q.name(), q.ready(), q.running(), this.scheduled.get(q.name()).size(),
					this.dead.get(q.name()).size(), q.lag(), q.oldestWaitMillis(), q.paused()))
			.toList();
		return new Overview(answer, DashboardStubFixtures.series(range, this.now),
				DashboardStubFixtures.latency(range));
	}

	List<Task> tasks(String range) {
		return DashboardStubFixtures.tasks(range);
	}

	List<SlowRun> slowRuns(String queue, String task) {
		return DashboardStubFixtures.tasks("hour")
			.stream()
			.filter((t) -> t.queue().equals(queue) && t.task().equals(task))
			.findFirst()
			.map((t) -> DashboardStubFixtures.slowRuns(task, t.p95Millis(), this.now))
			.orElse(List.of());
	}

	synchronized Page<DeadJob> dead(String queue, Filter filter, @Nullable String cursor, int limit) {
		List<DeadJob> jobs = this.dead.getOrDefault(queue, List.of());
		return page(jobs, deadMatching(filter), cursor, limit);
	}

	synchronized Page<ScheduledJob> scheduled(String queue, Filter filter, @Nullable String cursor, int limit) {
		List<ScheduledJob> jobs = this.scheduled.getOrDefault(queue, List.of());
		return page(jobs, scheduledMatching(filter), cursor, limit);
	}

	private static <T> Page<T> page(List<T> jobs, Predicate<T> matching, @Nullable String cursor, int limit) {
		int index = (cursor != null) ? Integer.parseInt(cursor) : 0;
		int end = Math.min(jobs.size(), index + SCAN);
		List<T> found = new ArrayList<>();
		while (index < end && found.size() < limit) {
			T job = jobs.get(index++);
			if (matching.test(job)) {
				found.add(job);
			}
		}
		return new Page<>(found, (index < jobs.size()) ? String.valueOf(index) : null, jobs.size());
	}

	private static Predicate<DeadJob> deadMatching(@Nullable Filter filter) {
		if (filter == null) {
			return (job) -> true;
		}
		String error = blank(filter.error()) ? null : filter.error().toLowerCase(Locale.ROOT);
		return (job) -> (blank(filter.task()) || filter.task().equals(job.task()))
				&& (error == null || job.reason().toLowerCase(Locale.ROOT).contains(error)
						|| job.errorType().toLowerCase(Locale.ROOT).contains(error))
				&& within(job.failedAt(), filter);
	}

	private static Predicate<ScheduledJob> scheduledMatching(@Nullable Filter filter) {
		if (filter == null) {
			return (job) -> true;
		}
		return (job) -> (blank(filter.task()) || filter.task().equals(job.task())) && within(job.dueAt(), filter);
	}

	private static boolean within(String at, Filter filter) {
		Instant instant = Instant.parse(at);
		return (blank(filter.from()) || !instant.isBefore(Instant.parse(filter.from())))
				&& (blank(filter.to()) || instant.isBefore(Instant.parse(filter.to())));
	}

	private static boolean blank(@Nullable String value) {
		return value == null || value.isBlank();
	}

	synchronized int removeDead(String queue, @Nullable List<String> ids, @Nullable Filter filter) {
		List<DeadJob> jobs = this.dead.getOrDefault(queue, new ArrayList<>());
		Predicate<DeadJob> chosen = (ids != null) ? (job) -> ids.contains(job.id()) : deadMatching(filter);
		int before = jobs.size();
		jobs.removeIf(chosen);
		return before - jobs.size();
	}

	synchronized int removeScheduled(String queue, @Nullable List<String> ids, @Nullable Filter filter) {
		List<ScheduledJob> jobs = this.scheduled.getOrDefault(queue, new ArrayList<>());
		Predicate<ScheduledJob> chosen = (ids != null) ? (job) -> ids.contains(job.id()) : scheduledMatching(filter);
		int before = jobs.size();
		jobs.removeIf(chosen);
		return before - jobs.size();
	}

	synchronized Optional<Job> job(String queue, String id, boolean showPayloads) {
		boolean hostile = DashboardStubFixtures.hostileJobId().equals(id);
		Object payload = showPayloads ? (hostile ? DashboardStubFixtures.HOSTILE_PAYLOAD : Map.of("customerId", 4411))
				: null;
		for (DeadJob job : this.dead.getOrDefault(queue, List.of())) {
			if (job.id().equals(id)) {
				return Optional.of(new Job(id, queue, job.task(), "DEAD", job.attempts(),
						DashboardStubFixtures.headers(hostile), job.reason(), job.errorType(),
						DashboardStubFixtures.stackTrace(job.errorType(), job.reason()), job.enqueuedAt(), null,
						job.failedAt(), payload, !showPayloads, null));
			}
		}
		for (ScheduledJob job : this.scheduled.getOrDefault(queue, List.of())) {
			if (job.id().equals(id)) {
				Tracked tracked = job.retrying() ? new Tracked("RETRYING", job.attempt(), this.now.toString(), null,
						"java.net.SocketTimeoutException: Read timed out") : null;
				return Optional.of(new Job(id, queue, job.task(), job.retrying() ? "RETRYING" : "SCHEDULED",
						job.attempt(), DashboardStubFixtures.headers(false), null, null, null, this.now.toString(),
						job.dueAt(), null, payload, !showPayloads, tracked));
			}
		}
		return Optional.empty();
	}

	synchronized @Nullable Queue setPaused(String name, boolean paused) {
		for (int i = 0; i < this.queues.size(); i++) {
			Queue q = this.queues.get(i);
			if (q.name().equals(name)) {
				Queue changed = new Queue(q.name(), q.ready(), q.running(), q.delayed(), q.dead(), q.lag(),
						q.oldestWaitMillis(), paused);
				this.queues.set(i, changed);
				return changed;
			}
		}
		return null;
	}

	synchronized List<Recurring> recurring() {
		return List.copyOf(this.recurring);
	}

	synchronized @Nullable Recurring changeRecurring(String name, String verb) {
		for (int i = 0; i < this.recurring.size(); i++) {
			Recurring r = this.recurring.get(i);
			if (r.name().equals(name)) {
				Recurring changed = switch (verb) {
					case "pause" ->
						new Recurring(r.name(), r.queue(), r.schedule(), r.misfire(), true, r.lastFireAt(), null);
					case "resume" -> new Recurring(r.name(), r.queue(), r.schedule(), r.misfire(), false,
							r.lastFireAt(), Instant.now().plusSeconds(600).toString());
					default -> new Recurring(r.name(), r.queue(), r.schedule(), r.misfire(), r.paused(),
							Instant.now().toString(), r.nextFireAt());
				};
				this.recurring.set(i, changed);
				return changed;
			}
		}
		return null;
	}

	synchronized void recordWrite(Write write) {
		this.writes.add(write);
	}

	synchronized List<Write> writes() {
		return List.copyOf(this.writes);
	}

	synchronized List<String> deadIds(String queue) {
		return this.dead.get(queue).stream().map(DeadJob::id).toList();
	}

	synchronized List<String> scheduledIds(String queue) {
		return this.scheduled.get(queue).stream().map(ScheduledJob::id).toList();
	}

	boolean down() {
		return this.down;
	}

	void setDown(boolean down) {
		this.down = down;
	}

	@Nullable String writeFailure() {
		return this.writeFailure;
	}

	/** Every write answers 409 with this message, until reset. */
	void failWrites(@Nullable String message) {
		this.writeFailure = message;
	}

}
