package io.taskq.listener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs of one queue held here, by stream entry id: each from its fetch until its
 * outcome is written and its run is over, its claim renewed meanwhile. Entry ids are only
 * unique within one stream, which is why a lane keeps its own.
 */
final class HeldJobs {

	private final Map<String, Execution> byEntryId = new ConcurrentHashMap<>();

	/** The map itself, for the claim keeper and the controls, which read and renew it. */
	Map<String, Execution> byEntryId() {
		return this.byEntryId;
	}

	void remove(String entryId) {
		this.byEntryId.remove(entryId);
	}

	void remove(Execution execution) {
		this.byEntryId.remove(execution.entryId(), execution);
	}

	/** The writer wrote a job's outcome: let it go once its run is over too. */
	void outcomeWritten(String entryId) {
		Execution execution = this.byEntryId.get(entryId);
		if (execution != null && execution.outcomeWritten()) {
			this.byEntryId.remove(entryId, execution);
		}
	}

	/** How many are in a handler now. */
	int running() {
		int running = 0;
		for (Execution execution : this.byEntryId.values()) {
			if (execution.handler().isInside()) {
				running++;
			}
		}
		return running;
	}

	long unsettled() {
		return this.byEntryId.values().stream().filter((execution) -> !execution.isSettled()).count();
	}

	long outcomesUnwritten() {
		return this.byEntryId.values().stream().filter(Execution::isOutcomeUnwritten).count();
	}

	/** Cancels the stages of asynchronous jobs still pending: they are abandoned. */
	void abandonPendingStages() {
		this.byEntryId.values().forEach((execution) -> execution.handler().abandonStage());
	}

}
