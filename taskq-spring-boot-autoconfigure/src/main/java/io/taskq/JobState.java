package io.taskq;

import org.jspecify.annotations.Nullable;

/**
 * Where a tracked job is in its life. Only tracked jobs have a recorded state (see
 * {@code JobRequest.withTracking()}); every other job reads as {@link #UNKNOWN}, as does
 * one whose record expired.
 */
public enum JobState {

	/** Waiting in the delayed set for its due time. */
	SCHEDULED("scheduled"),

	/** Ready in the stream, waiting for a worker. */
	QUEUED("queued"),

	/** A worker is running it. */
	RUNNING("running"),

	/** An attempt failed; it waits for its next attempt. */
	RETRYING("retrying"),

	/** The handler returned. Final. */
	SUCCEEDED("succeeded"),

	/** It failed for good and sits in the dead letters. Final. */
	DEAD("dead"),

	/** It was cancelled before or while running. Final. */
	CANCELLED("cancelled"),

	/** Not tracked, never enqueued, or its record expired. */
	UNKNOWN("unknown");

	private final String wireName;

	JobState(String wireName) {
		this.wireName = wireName;
	}

	/** The name stored in Redis. */
	public String wireName() {
		return this.wireName;
	}

	/** Whether the job will not change state again. */
	public boolean isFinal() {
		return this == SUCCEEDED || this == DEAD || this == CANCELLED;
	}

	public static JobState fromWireName(@Nullable String name) {
		if (name != null) {
			for (JobState state : values()) {
				if (state.wireName.equals(name)) {
					return state;
				}
			}
		}
		return UNKNOWN;
	}

}
