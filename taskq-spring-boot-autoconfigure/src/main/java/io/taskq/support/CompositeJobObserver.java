package io.taskq.support;

import java.util.List;

/**
 * Hands every event to several observers, in order.
 */
final class CompositeJobObserver implements JobObserver {

	private final JobObserver[] observers;

	private CompositeJobObserver(List<JobObserver> observers) {
		this.observers = observers.toArray(JobObserver[]::new);
	}

	static JobObserver of(List<JobObserver> observers) {
		if (observers.isEmpty()) {
			return NONE;
		}
		return (observers.size() == 1) ? observers.get(0) : new CompositeJobObserver(observers);
	}

	@Override
	public void enqueued(String queue, int jobs) {
		for (JobObserver observer : this.observers) {
			observer.enqueued(queue, jobs);
		}
	}

	@Override
	public void executed(JobExecution execution) {
		for (JobObserver observer : this.observers) {
			observer.executed(execution);
		}
	}

	@Override
	public void retried(String queue, String task) {
		for (JobObserver observer : this.observers) {
			observer.retried(queue, task);
		}
	}

	@Override
	public void deadLettered(String queue, String task) {
		for (JobObserver observer : this.observers) {
			observer.deadLettered(queue, task);
		}
	}

	@Override
	public void deadLettersTrimmed(String queue, long count) {
		for (JobObserver observer : this.observers) {
			observer.deadLettersTrimmed(queue, count);
		}
	}

	@Override
	public void reclaimed(String queue, String task) {
		for (JobObserver observer : this.observers) {
			observer.reclaimed(queue, task);
		}
	}

}
