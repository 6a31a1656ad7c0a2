package io.taskq.recurring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The recurring jobs of this application, by name. Filled when handlers are registered,
 * before the scheduler starts.
 */
public class RecurringJobRegistry {

	private final Map<String, RecurringJob> jobs = new ConcurrentHashMap<>();

	public void register(RecurringJob job) {
		RecurringJob existing = this.jobs.putIfAbsent(job.name(), job);
		if (existing != null) {
			throw new IllegalStateException("Recurring job '" + job.name() + "' is declared twice");
		}
	}

	public @Nullable RecurringJob job(String name) {
		return this.jobs.get(name);
	}

	/** Every recurring job, sorted by name. */
	public List<RecurringJob> jobs() {
		List<RecurringJob> sorted = new ArrayList<>(this.jobs.values());
		sorted.sort((first, second) -> first.name().compareTo(second.name()));
		return sorted;
	}

	public boolean isEmpty() {
		return this.jobs.isEmpty();
	}

}
