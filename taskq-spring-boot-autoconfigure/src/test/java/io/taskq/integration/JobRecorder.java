package io.taskq.integration;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts every run of every job by id, across all app instances of a test, and the most
 * jobs running at once.
 */
final class JobRecorder {

	private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	private final AtomicInteger running = new AtomicInteger();

	private final AtomicInteger maxRunning = new AtomicInteger();

	void started() {
		int now = this.running.incrementAndGet();
		this.maxRunning.accumulateAndGet(now, Math::max);
	}

	void finished(String jobId) {
		this.running.decrementAndGet();
		record(jobId);
	}

	void record(String jobId) {
		this.runs.computeIfAbsent(jobId, (id) -> new AtomicInteger()).incrementAndGet();
	}

	int runs(String jobId) {
		AtomicInteger count = this.runs.get(jobId);
		return (count != null) ? count.get() : 0;
	}

	int distinctJobs() {
		return this.runs.size();
	}

	int totalRuns() {
		return this.runs.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	Set<String> jobIds() {
		return this.runs.keySet();
	}

	int maxRunning() {
		return this.maxRunning.get();
	}

	/** Ids that ran more than once. */
	Set<String> duplicates() {
		Set<String> duplicates = ConcurrentHashMap.newKeySet();
		this.runs.forEach((id, count) -> {
			if (count.get() > 1) {
				duplicates.add(id);
			}
		});
		return duplicates;
	}

	void reset() {
		this.runs.clear();
		this.maxRunning.set(0);
	}

}
