package io.taskq.dashboard;

import java.util.Map;

import io.taskq.client.QueueControl;
import io.taskq.dashboard.DashboardReadController.RecurringRow;
import io.taskq.recurring.RecurringJobs;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Pausing and resuming queues and recurring jobs, and triggering a recurring job now.
 */
@RestController
@RequestMapping(DashboardSettings.API)
class DashboardControlsController {

	private final DashboardSettings settings;

	private final QueueControl queueControl;

	private final ObjectProvider<RecurringJobs> recurringJobs;

	DashboardControlsController(DashboardSettings settings, QueueControl queueControl,
			ObjectProvider<RecurringJobs> recurringJobs) {
		this.settings = settings;
		this.queueControl = queueControl;
		this.recurringJobs = recurringJobs;
	}

	@PostMapping("/queues/{queue}/{action}")
	Map<String, Object> queue(@PathVariable String queue, @PathVariable String action) {
		checkWritable();
		switch (action) {
			case "pause" -> this.queueControl.pause(queue);
			case "resume" -> this.queueControl.resume(queue);
			default -> throw DashboardException.notFound("Unknown queue action '" + action + "': use pause or resume");
		}
		return Map.of("queue", queue, "paused", this.queueControl.isPaused(queue));
	}

	@PostMapping("/recurring/{name}/{action}")
	Map<String, Object> recurring(@PathVariable String name, @PathVariable String action) {
		checkWritable();
		RecurringJobs jobs = this.recurringJobs.getIfAvailable();
		if (jobs == null) {
			throw DashboardException.notFound("This application has no recurring jobs");
		}
		String jobId = null;
		switch (action) {
			case "pause" -> jobs.pause(name);
			case "resume" -> jobs.resume(name);
			case "trigger" -> jobId = jobs.trigger(name).value();
			default -> throw DashboardException
				.notFound("Unknown recurring job action '" + action + "': use pause, resume or trigger");
		}
		RecurringRow row = jobs.list()
			.stream()
			.filter((job) -> job.name().equals(name))
			.findFirst()
			.map(RecurringRow::of)
			.orElseThrow(() -> new DashboardException(HttpStatus.NOT_FOUND, "No recurring job '" + name + "'"));
		return (jobId != null) ? Map.of("job", row, "jobId", jobId) : Map.of("job", row);
	}

	private void checkWritable() {
		if (this.settings.readOnly()) {
			throw DashboardException.readOnly();
		}
	}

}
