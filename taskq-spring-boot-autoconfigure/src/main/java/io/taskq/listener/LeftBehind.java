package io.taskq.listener;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Stream entries of finished jobs that an ack left for a later trim, because an older
 * entry was still pending ({@code ack.lua}). Most go with that trim within milliseconds;
 * those still there after {@link #DELAY_NANOS} are deleted one by one, so that a job that
 * runs long (or a retry waiting for memory) never holds finished entries for long.
 * <p>
 * Not thread-safe: the outcome writer's thread alone uses it.
 */
final class LeftBehind {

	/** How long an entry may wait for the trim before it is deleted. */
	static final long DELAY_NANOS = 100_000_000L;

	private final ArrayDeque<Entry> entries = new ArrayDeque<>();

	/**
	 * Records what an ack call reported.
	 * @param acknowledged the entry ids the call acknowledged
	 * @param oldestPending the oldest entry still pending after it, {@code ""} if none,
	 * {@code "-"} (or {@code null}) if the call acknowledged nothing (written again: some
	 * may have been left the first time)
	 * @param now {@link System#nanoTime()}
	 */
	void acknowledged(Collection<String> acknowledged, String oldestPending, long now) {
		if (oldestPending == null || oldestPending.equals("-")) {
			acknowledged.forEach((id) -> this.entries.add(new Entry(StreamId.parse(id), now)));
			return;
		}
		if (oldestPending.isEmpty()) {
			// Trimmed up to the last entry delivered: every one left was.
			this.entries.clear();
			return;
		}
		StreamId oldest = StreamId.parse(oldestPending);
		this.entries.removeIf((entry) -> entry.id().compareTo(oldest) < 0);
		for (String id : acknowledged) {
			StreamId parsed = StreamId.parse(id);
			if (parsed.compareTo(oldest) > 0) {
				this.entries.add(new Entry(parsed, now));
			}
		}
	}

	/** Up to {@code max} ids left at least {@link #DELAY_NANOS} ago, oldest first. */
	List<String> due(long now, int max) {
		List<String> due = new ArrayList<>();
		for (Entry entry : this.entries) {
			if (due.size() == max || now - entry.leftAt() < DELAY_NANOS) {
				break;
			}
			due.add(entry.id().toString());
		}
		return due;
	}

	/** Every id left, to delete when stopping. */
	List<String> all(int max) {
		return this.entries.stream().limit(max).map((entry) -> entry.id().toString()).toList();
	}

	/** The first {@code count} ids, as returned by {@link #due}, are deleted. */
	void deleted(int count) {
		for (int i = 0; i < count; i++) {
			this.entries.poll();
		}
	}

	/** Nanoseconds until the first id is due, {@link Long#MAX_VALUE} if none is left. */
	long nanosUntilDue(long now) {
		Entry first = this.entries.peek();
		return (first != null) ? Math.max(0, first.leftAt() + DELAY_NANOS - now) : Long.MAX_VALUE;
	}

	boolean isEmpty() {
		return this.entries.isEmpty();
	}

	private record Entry(StreamId id, long leftAt) {
	}

	/** A stream entry id, {@code <ms>-<seq>}, ordered as Redis orders them. */
	record StreamId(long ms, long seq) implements Comparable<StreamId> {

		static StreamId parse(String id) {
			int dash = id.indexOf('-');
			return new StreamId(Long.parseLong(id, 0, dash, 10), Long.parseLong(id, dash + 1, id.length(), 10));
		}

		@Override
		public int compareTo(StreamId other) {
			int byMs = Long.compare(this.ms, other.ms);
			return (byMs != 0) ? byMs : Long.compare(this.seq, other.seq);
		}

		@Override
		public String toString() {
			return this.ms + "-" + this.seq;
		}

	}

}
