package io.taskq.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The worker JVMs of one throughput setting, waiting on a queue of their own, and what
 * was measured with them: start-up, the cold first drain, the warm-up and the measured
 * drains.
 */
final class WorkerSet implements AutoCloseable {

	private final String setting;

	private final String queue;

	private final int processes;

	private final WorkerProcesses workers;

	private final List<Drain> drains = new ArrayList<>();

	private double startUpSeconds;

	private @Nullable Drain cold;

	private int warmUpRounds;

	WorkerSet(String setting, String queue, int processes, WorkerProcesses workers) {
		this.setting = setting;
		this.queue = queue;
		this.processes = processes;
		this.workers = workers;
	}

	String setting() {
		return this.setting;
	}

	String queue() {
		return this.queue;
	}

	int processes() {
		return this.processes;
	}

	WorkerProcesses workers() {
		return this.workers;
	}

	void startedUp(double seconds) {
		this.startUpSeconds = seconds;
	}

	double startUpSeconds() {
		return this.startUpSeconds;
	}

	void cold(Drain drain) {
		this.cold = drain;
	}

	Drain cold() {
		if (this.cold == null) {
			throw new IllegalStateException("No warm-up drain of " + this.setting + " yet");
		}
		return this.cold;
	}

	void warmedUpOneRound() {
		this.warmUpRounds++;
	}

	int warmUpRounds() {
		return this.warmUpRounds;
	}

	void measured(Drain drain) {
		this.drains.add(drain);
	}

	/** The measured drain of a round, counting from 0. */
	Drain measuredDrain(int round) {
		return this.drains.get(round);
	}

	/** The measured drains, slowest first. */
	List<Drain> drainsBySpeed() {
		List<Drain> sorted = new ArrayList<>(this.drains);
		sorted.sort(Comparator.comparingDouble(Drain::rate));
		return sorted;
	}

	@Override
	public void close() {
		this.workers.close();
	}

}
