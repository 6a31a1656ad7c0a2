package io.taskq.dashboard;

import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;

import io.taskq.dashboard.DashboardStubJson.Affected;
import io.taskq.dashboard.DashboardStubJson.Config;
import io.taskq.dashboard.DashboardStubJson.DeadJob;
import io.taskq.dashboard.DashboardStubJson.Error;
import io.taskq.dashboard.DashboardStubJson.Filter;
import io.taskq.dashboard.DashboardStubJson.Instances;
import io.taskq.dashboard.DashboardStubJson.Job;
import io.taskq.dashboard.DashboardStubJson.Overview;
import io.taskq.dashboard.DashboardStubJson.Page;
import io.taskq.dashboard.DashboardStubJson.QueueState;
import io.taskq.dashboard.DashboardStubJson.Recurring;
import io.taskq.dashboard.DashboardStubJson.RecurringJobs;
import io.taskq.dashboard.DashboardStubJson.ScheduledJob;
import io.taskq.dashboard.DashboardStubJson.Selection;
import io.taskq.dashboard.DashboardStubJson.SlowRuns;
import io.taskq.dashboard.DashboardStubJson.Tasks;
import io.taskq.dashboard.DashboardStubJson.Write;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A stand-in for the dashboard's JSON API (docs/dashboard.md) over
 * {@link DashboardStubData}, so the page can be built and tested before the real
 * controller exists. A stub: it checks little and knows no Redis.
 */
@RestController
@RequestMapping("${stub.path:/taskq}/api")
class DashboardStubController {

	private final DashboardStubData data;

	private final boolean readOnly;

	private final boolean showPayloads;

	private final long refreshMillis;

	DashboardStubController(DashboardStubData data, @Value("${stub.read-only:false}") boolean readOnly,
			@Value("${stub.show-payloads:true}") boolean showPayloads,
			@Value("${stub.refresh-millis:2000}") long refreshMillis) {
		this.data = data;
		this.readOnly = readOnly;
		this.showPayloads = showPayloads;
		this.refreshMillis = refreshMillis;
	}

	@GetMapping("/config")
	Config config() {
		return new Config(this.readOnly, this.showPayloads, this.refreshMillis, this.data.queueNames());
	}

	@GetMapping("/overview")
	Overview overview(@RequestParam(defaultValue = "hour") String range) {
		return this.data.overview(range(range));
	}

	@GetMapping("/tasks")
	Tasks tasks(@RequestParam(defaultValue = "hour") String range) {
		return new Tasks(this.data.tasks(range(range)));
	}

	@GetMapping("/tasks/{queue}/{task}/slow-runs")
	SlowRuns slowRuns(@PathVariable String queue, @PathVariable String task) {
		return new SlowRuns(this.data.slowRuns(queue, task));
	}

	@GetMapping("/jobs/dead")
	Page<DeadJob> dead(@RequestParam(required = false) @Nullable String queue,
			@RequestParam(required = false) @Nullable String task,
			@RequestParam(required = false) @Nullable String error,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(required = false) @Nullable String cursor, @RequestParam(defaultValue = "50") int limit) {
		return this.data.dead(required(queue), new Filter(task, error, from, to), cursor, limit(limit));
	}

	@GetMapping("/jobs/scheduled")
	Page<ScheduledJob> scheduled(@RequestParam(required = false) @Nullable String queue,
			@RequestParam(required = false) @Nullable String task,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(required = false) @Nullable String cursor, @RequestParam(defaultValue = "50") int limit) {
		return this.data.scheduled(required(queue), new Filter(task, null, from, to), cursor, limit(limit));
	}

	@GetMapping("/jobs/{queue}/{id}")
	Job job(@PathVariable String queue, @PathVariable String id) {
		return this.data.job(queue, id, this.showPayloads)
			.orElseThrow(() -> new StubException(HttpStatus.NOT_FOUND, "taskq knows nothing of job " + id + " in queue "
					+ queue + ": it is not dead, not scheduled, and not tracked."));
	}

	@GetMapping("/recurring")
	RecurringJobs recurring() {
		return new RecurringJobs(this.data.recurring());
	}

	@GetMapping("/instances")
	Instances instances() {
		return new Instances(DashboardStubFixtures.instances(Instant.now()));
	}

	@PostMapping("/jobs/dead/{action:retry|delete}")
	Affected dead(@PathVariable String action, @RequestBody Selection selection, HttpServletRequest request) {
		write(request, selection);
		return new Affected(this.data.removeDead(required(selection.queue()), selection.ids(), selection.filter()));
	}

	@PostMapping("/jobs/scheduled/{action:run-now|delete}")
	Affected scheduled(@PathVariable String action, @RequestBody Selection selection, HttpServletRequest request) {
		write(request, selection);
		return new Affected(
				this.data.removeScheduled(required(selection.queue()), selection.ids(), selection.filter()));
	}

	@PostMapping("/queues/{queue}/{action:pause|resume}")
	QueueState queue(@PathVariable String queue, @PathVariable String action, HttpServletRequest request) {
		write(request, null);
		var changed = this.data.setPaused(queue, action.equals("pause"));
		if (changed == null) {
			throw new StubException(HttpStatus.NOT_FOUND, "No queue named " + queue);
		}
		return new QueueState(changed.name(), changed.paused());
	}

	@PostMapping("/recurring/{name}/{action:pause|resume|trigger}")
	Recurring recurring(@PathVariable String name, @PathVariable String action, HttpServletRequest request) {
		write(request, null);
		Recurring changed = this.data.changeRecurring(name, action);
		if (changed == null) {
			throw new StubException(HttpStatus.NOT_FOUND, "No recurring job named " + name);
		}
		return changed;
	}

	@ExceptionHandler
	ResponseEntity<Error> failed(StubException ex) {
		return ResponseEntity.status(ex.status).body(new Error(ex.getMessage()));
	}

	private void write(HttpServletRequest request, @Nullable Object body) {
		this.data.recordWrite(new Write(request.getRequestURI(), request.getHeader("X-XSRF-TOKEN"), body));
		if (this.readOnly) {
			throw new StubException(HttpStatus.FORBIDDEN, "The dashboard is read-only: set "
					+ "taskq.dashboard.read-only=false to retry, delete, pause or trigger from it.");
		}
		String failure = this.data.writeFailure();
		if (failure != null) {
			throw new StubException(HttpStatus.CONFLICT, failure);
		}
	}

	private static String range(String range) {
		if (!range.equals("hour") && !range.equals("day")) {
			throw new StubException(HttpStatus.BAD_REQUEST, "range is hour or day, not " + range);
		}
		return range;
	}

	private static String required(@Nullable String queue) {
		if (queue == null || queue.isBlank()) {
			throw new StubException(HttpStatus.BAD_REQUEST, "queue is required, e.g. ?queue=default");
		}
		return queue;
	}

	private static int limit(int limit) {
		if (limit < 1 || limit > 200) {
			throw new StubException(HttpStatus.BAD_REQUEST, "limit is 1 to 200, not " + limit);
		}
		return limit;
	}

	static final class StubException extends RuntimeException {

		private final HttpStatus status;

		StubException(HttpStatus status, String message) {
			super(message);
			this.status = status;
		}

	}

}
