package io.taskq.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import io.taskq.support.redis.ControlScripts;
import io.taskq.support.redis.QueueKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Which tasks the running instances handle on each queue (issue 16, point 15), so an
 * instance that fetches a job it has no handler for can tell whether another instance
 * will take it. One hash per queue ({@link QueueKeys#handlers()}): task name to the
 * server time and consumer name of the last instance that said it handles the task. Every
 * instance writes the tasks it handles when it starts and every
 * {@link #ANNOUNCE_INTERVAL}; an entry nobody wrote for {@link #LAPSE} no longer counts
 * (its instances stopped, or were deployed without the handler), and one nobody wrote for
 * {@link #KEPT} is deleted.
 * <p>
 * Only the last writer of a task is kept, not every instance that handles it: enough to
 * tell "another instance has it" from "none has", and the hash stays at one short entry
 * per task whatever the number of instances: by {@code MEMORY USAGE}, 1,328 bytes for 20
 * tasks of 24-character names (a listpack while the queue has fewer than 128 tasks).
 * <p>
 * Round trips: one script call per queue and instance every {@link #ANNOUNCE_INTERVAL};
 * one to read, made only for jobs without a handler here (see {@link UnhandledJobs}).
 * Nothing on the path of a job whose handler is here.
 */
final class HandledTasks {

	/** How often each instance writes the tasks it handles. */
	static final Duration ANNOUNCE_INTERVAL = Duration.ofSeconds(30);

	/**
	 * How long an entry counts after its last write: four announcements, so one or two
	 * that fail (a Redis hiccup, a long GC pause) do not make a task look unhandled.
	 */
	static final Duration LAPSE = ANNOUNCE_INTERVAL.multipliedBy(4);

	/**
	 * How long an entry stays after its last write, so that a dead letter can still say
	 * which instance handled a task that is handled no more.
	 */
	static final Duration KEPT = Duration.ofDays(1);

	private final ControlScripts scripts;

	private final String consumer;

	HandledTasks(StringRedisTemplate redis, String consumer) {
		this.scripts = new ControlScripts(redis);
		this.consumer = consumer;
	}

	/**
	 * Says that this instance handles the given tasks of a queue.
	 * @throws org.springframework.dao.DataAccessException if Redis does not answer
	 */
	void announce(QueueKeys keys, Collection<String> tasks) {
		this.scripts.announceHandlers(keys, this.consumer, KEPT.toMillis(), tasks);
	}

	/**
	 * Reads which tasks instances handle on a queue.
	 * @throws org.springframework.dao.DataAccessException if Redis does not answer
	 */
	Snapshot read(QueueKeys keys) {
		List<?> result = this.scripts.readHandlers(keys);
		long now = ((Number) result.get(0)).longValue();
		List<Handler> handlers = new ArrayList<>();
		for (int i = 1; i + 1 < result.size(); i += 2) {
			String value = (String) result.get(i + 1);
			int space = value.indexOf(' ');
			try {
				long at = Long.parseLong((space > 0) ? value.substring(0, space) : value);
				String consumer = (space > 0) ? value.substring(space + 1) : "";
				handlers.add(new Handler((String) result.get(i), consumer, Math.max(0, now - at)));
			}
			catch (NumberFormatException ex) {
				// Not ours to read; the next announcement deletes it.
			}
		}
		handlers.sort(Comparator.comparing(Handler::task));
		return new Snapshot(true, handlers);
	}

	/**
	 * One task's entry.
	 *
	 * @param task the task name
	 * @param consumer the last instance that said it handles the task
	 * @param ageMillis how long ago it said so
	 */
	record Handler(String task, String consumer, long ageMillis) {

		boolean isLive() {
			return this.ageMillis <= LAPSE.toMillis();
		}

		@Override
		public String toString() {
			return "'" + this.task + "' (by '" + this.consumer + "', " + Durations.describe(this.ageMillis) + " ago)";
		}

	}

	/**
	 * What the registry of a queue held when read.
	 *
	 * @param known whether it could be read
	 * @param handlers every entry, live or not, by task name
	 */
	record Snapshot(boolean known, List<Handler> handlers) {

		/** The registry could not be read. */
		static final Snapshot UNKNOWN = new Snapshot(false, List.of());

		/** The task's entry, if an instance said it handles the task within the lapse. */
		@Nullable Handler live(String task) {
			for (Handler handler : this.handlers) {
				if (handler.task().equals(task) && handler.isLive()) {
					return handler;
				}
			}
			return null;
		}

		/** The task's entry, live or not. */
		@Nullable Handler any(String task) {
			for (Handler handler : this.handlers) {
				if (handler.task().equals(task)) {
					return handler;
				}
			}
			return null;
		}

		/** The live entries, at most {@code max} of them, for a log line or a reason. */
		String describeLive(int max) {
			if (!this.known) {
				return "unknown (Redis did not answer)";
			}
			List<Handler> live = this.handlers.stream().filter(Handler::isLive).toList();
			if (live.isEmpty()) {
				return "none";
			}
			List<String> shown = live.stream().limit(max).map(Handler::toString).toList();
			return String.join(", ", shown) + ((live.size() > max) ? " and " + (live.size() - max) + " more" : "");
		}

	}

}
