package io.taskq.dashboard;

import java.util.List;

import io.taskq.JobId;
import io.taskq.client.CancelResult;
import io.taskq.client.DeadJobs;
import io.taskq.client.JobClient;
import io.taskq.dashboard.DeadJobSearch.DeadJobRow;
import io.taskq.dashboard.ScheduledJobSearch.ScheduledJobRow;
import io.taskq.support.redis.DeadLetterScripts;
import io.taskq.support.redis.DelayedScripts;
import io.taskq.support.redis.KeySpace;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Scheduled and dead jobs: lists with filters and pages, one job's detail, and actions on
 * a selection or on everything a filter matches.
 */
@RestController
@RequestMapping(DashboardSettings.API + "/jobs")
class DashboardJobsController {

	/** The most jobs one bulk request acts on; the answer says when more are left. */
	static final int MAX_BULK = 10_000;

	private final DashboardSettings settings;

	private final KeySpace keys;

	private final DeadJobSearch dead;

	private final ScheduledJobSearch scheduled;

	private final JobLookup lookup;

	private final DeadJobs deadJobs;

	private final JobClient jobClient;

	private final DeadLetterScripts deadLetterScripts;

	private final DelayedScripts delayedScripts;

	DashboardJobsController(DashboardSettings settings, StringRedisTemplate redis, KeySpace keys, DeadJobs deadJobs,
			JobClient jobClient) {
		this.settings = settings;
		this.keys = keys;
		this.dead = new DeadJobSearch(redis, keys);
		this.scheduled = new ScheduledJobSearch(redis, keys);
		this.lookup = new JobLookup(this.dead, this.scheduled, jobClient, settings.showPayloads());
		this.deadJobs = deadJobs;
		this.jobClient = jobClient;
		this.deadLetterScripts = new DeadLetterScripts(redis);
		this.delayedScripts = new DelayedScripts(redis);
	}

	@GetMapping("/dead")
	JobPage<DeadJobRow> dead(@RequestParam String queue, @RequestParam(required = false) @Nullable String task,
			@RequestParam(required = false) @Nullable String error,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(required = false) @Nullable String cursor, @RequestParam(defaultValue = "50") int limit) {
		return this.dead.page(queue, JobFilter.of(task, error, from, to), cursor, limit);
	}

	@GetMapping("/scheduled")
	JobPage<ScheduledJobRow> scheduled(@RequestParam String queue,
			@RequestParam(required = false) @Nullable String task,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(required = false) @Nullable String cursor, @RequestParam(defaultValue = "50") int limit) {
		return this.scheduled.page(queue, JobFilter.of(task, null, from, to), cursor, limit);
	}

	@GetMapping("/{queue}/{id}")
	JobDetail job(@PathVariable String queue, @PathVariable String id) {
		return this.lookup.find(queue, id)
			.orElseThrow(() -> DashboardException.notFound("Queue '" + queue + "' has no dead, scheduled or tracked"
					+ " job '" + id + "' (a queued or running job is found by id only when it is tracked)"));
	}

	@PostMapping("/dead/retry")
	BulkResult retryDead(@RequestBody BulkRequest request) {
		checkWritable();
		Selection selection = select(request, true);
		long affected = 0;
		for (String id : selection.ids()) {
			affected += this.deadJobs.retry(request.queue(), JobId.of(id)) ? 1 : 0;
		}
		return new BulkResult(affected, selection.more());
	}

	@PostMapping("/dead/delete")
	BulkResult deleteDead(@RequestBody BulkRequest request) {
		checkWritable();
		Selection selection = select(request, true);
		return new BulkResult(this.deadLetterScripts.delete(this.keys.queue(request.queue()), selection.ids()),
				selection.more());
	}

	@PostMapping("/scheduled/run-now")
	BulkResult runNow(@RequestBody BulkRequest request) {
		checkWritable();
		Selection selection = select(request, false);
		return new BulkResult(this.delayedScripts.runNow(this.keys.queue(request.queue()), selection.ids()),
				selection.more());
	}

	/** Cancels scheduled jobs, so their tracked state and locks end as a cancel's do. */
	@PostMapping("/scheduled/delete")
	BulkResult deleteScheduled(@RequestBody BulkRequest request) {
		checkWritable();
		Selection selection = select(request, false);
		long affected = 0;
		for (String id : selection.ids()) {
			if (this.scheduled.dueAt(request.queue(), id) != null
					&& this.jobClient.cancel(request.queue(), JobId.of(id)) == CancelResult.CANCELLED) {
				affected++;
			}
		}
		return new BulkResult(affected, selection.more());
	}

	private void checkWritable() {
		if (this.settings.readOnly()) {
			throw DashboardException.readOnly();
		}
	}

	private Selection select(BulkRequest request, boolean deadJobs) {
		if (request.queue() == null || request.queue().isBlank()) {
			throw new IllegalArgumentException("Name the queue: {\"queue\": \"default\", \"ids\": [...]}");
		}
		if (request.ids() != null) {
			if (request.ids().size() > MAX_BULK) {
				throw new IllegalArgumentException(
						"At most " + MAX_BULK + " ids per request (got " + request.ids().size() + ")");
			}
			return new Selection(request.ids(), false);
		}
		if (request.filter() == null) {
			throw new IllegalArgumentException(
					"Give the jobs as \"ids\": [...], or as \"filter\": {...} ({} for" + " every job of the queue)");
		}
		Filter filter = request.filter();
		JobFilter jobFilter = JobFilter.of(filter.task(), deadJobs ? filter.error() : null, filter.from(), filter.to());
		List<String> ids = deadJobs ? this.dead.matchingIds(request.queue(), jobFilter, MAX_BULK + 1)
				: this.scheduled.matchingIds(request.queue(), jobFilter, MAX_BULK + 1);
		boolean more = ids.size() > MAX_BULK;
		return new Selection(more ? ids.subList(0, MAX_BULK) : ids, more);
	}

	/**
	 * Jobs to act on: by id, or all a filter matches.
	 *
	 * @param queue the queue
	 * @param ids the job ids
	 * @param filter the filter
	 */
	record BulkRequest(@Nullable String queue, @Nullable List<String> ids, @Nullable Filter filter) {

	}

	/**
	 * A filter in a request body.
	 *
	 * @param task the task
	 * @param error a part of the error
	 * @param from the earliest time
	 * @param to the latest time
	 */
	record Filter(@Nullable String task, @Nullable String error, @Nullable String from, @Nullable String to) {

	}

	/**
	 * What a bulk action did.
	 *
	 * @param affected how many jobs it acted on
	 * @param more whether more jobs matched than one request acts on
	 */
	record BulkResult(long affected, boolean more) {

	}

	private record Selection(List<String> ids, boolean more) {

	}

}
