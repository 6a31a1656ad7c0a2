package io.taskq.test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.taskq.support.JobMessage;
import io.taskq.support.PayloadCodec;
import io.taskq.support.QueueControlMessages;
import io.taskq.support.redis.JobJson;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.QueueKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;

/**
 * Reads and clears a queue's keys for {@link TestJobQueues}. Plain commands, not scripts:
 * tests call these while the queue is idle or to look at it, never on a hot path.
 */
final class QueueListing {

	/** More pending entries than a test queue holds. */
	private static final long MAX_PENDING = 100_000;

	private final StringRedisTemplate redis;

	private final KeySpace keys;

	private final PayloadCodec codec;

	QueueListing(StringRedisTemplate redis, KeySpace keys, PayloadCodec codec) {
		this.redis = redis;
		this.keys = keys;
		this.codec = codec;
	}

	/**
	 * The stream's entries not finished: those after the group's last delivered entry,
	 * and those delivered and still pending. Finished entries not trimmed yet are left
	 * out.
	 */
	List<QueuedJob> queued(String queue) {
		QueueKeys queueKeys = this.keys.queue(queue);
		if (!Boolean.TRUE.equals(this.redis.hasKey(queueKeys.stream()))) {
			return List.of();
		}
		Set<String> running = pendingIds(queueKeys);
		RecordId lastDelivered = lastDelivered(queueKeys);
		List<QueuedJob> jobs = new ArrayList<>();
		List<MapRecord<String, Object, Object>> entries = this.redis.opsForStream()
			.range(queueKeys.stream(), Range.unbounded());
		for (MapRecord<String, Object, Object> entry : (entries != null) ? entries
				: List.<MapRecord<String, Object, Object>>of()) {
			boolean pending = running.contains(entry.getId().getValue());
			if (pending || lastDelivered == null || isAfter(entry.getId(), lastDelivered)) {
				jobs.add(job(queue, fields(entry.getValue()), null, pending));
			}
		}
		return jobs;
	}

	List<QueuedJob> delayed(String queue) {
		QueueKeys queueKeys = this.keys.queue(queue);
		Set<TypedTuple<String>> due = this.redis.opsForZSet().rangeWithScores(queueKeys.delayed(), 0, -1);
		List<QueuedJob> jobs = new ArrayList<>();
		for (TypedTuple<String> member : (due != null) ? due : Set.<TypedTuple<String>>of()) {
			Object json = this.redis.opsForHash().get(queueKeys.delayedJobs(), member.getValue());
			if (json != null && member.getScore() != null) {
				jobs.add(job(queue, JobJson.readFields(json.toString()),
						Instant.ofEpochMilli(member.getScore().longValue()), false));
			}
		}
		return jobs;
	}

	<T> @Nullable T payload(QueuedJob job, Class<T> type) {
		return type.cast(this.codec.readerFor(type).read(job.payload()));
	}

	/**
	 * Acknowledges what is pending, empties the stream (keeping its group), and deletes
	 * the queue's other keys but the handlers registry, which live instances rewrite.
	 */
	void clear(String queue) {
		QueueKeys queueKeys = this.keys.queue(queue);
		if (Boolean.TRUE.equals(this.redis.hasKey(queueKeys.stream()))) {
			Set<String> pending = pendingIds(queueKeys);
			if (!pending.isEmpty()) {
				this.redis.opsForStream()
					.acknowledge(queueKeys.stream(), QueueKeys.GROUP, pending.toArray(String[]::new));
			}
			this.redis.opsForStream().trim(queueKeys.stream(), 0);
		}
		Set<String> doomed = new HashSet<>();
		String pattern = globEscaped(this.keys.prefix() + ":{" + queue + "}:") + "*";
		try (var cursor = this.redis.scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
			cursor.forEachRemaining(doomed::add);
		}
		doomed.remove(queueKeys.stream());
		doomed.remove(queueKeys.handlers());
		if (!doomed.isEmpty()) {
			this.redis.delete(doomed);
		}
		// The pause flag is gone: running instances learn it now, not at their next
		// re-read.
		this.redis.convertAndSend(queueKeys.wakeChannel(), QueueControlMessages.RESUME);
	}

	/**
	 * A literal for a SCAN pattern: queue names may hold the pattern's special
	 * characters.
	 */
	private static String globEscaped(String literal) {
		return literal.replaceAll("([\\\\*?\\[\\]^])", "\\\\$1");
	}

	private Set<String> pendingIds(QueueKeys queueKeys) {
		Set<String> ids = new HashSet<>();
		try {
			PendingMessages pending = this.redis.opsForStream()
				.pending(queueKeys.stream(), QueueKeys.GROUP, Range.unbounded(), MAX_PENDING);
			for (PendingMessage message : pending) {
				ids.add(message.getIdAsString());
			}
		}
		catch (RuntimeException ex) {
			// No group yet: nothing was delivered.
		}
		return ids;
	}

	private @Nullable RecordId lastDelivered(QueueKeys queueKeys) {
		StreamInfo.XInfoGroups groups = this.redis.opsForStream().groups(queueKeys.stream());
		for (StreamInfo.XInfoGroup group : groups) {
			if (QueueKeys.GROUP.equals(group.groupName())) {
				return RecordId.of(group.lastDeliveredId());
			}
		}
		return null;
	}

	private static boolean isAfter(RecordId id, RecordId other) {
		return id.getTimestamp() > other.getTimestamp()
				|| (id.getTimestamp().equals(other.getTimestamp()) && id.getSequence() > other.getSequence());
	}

	private static Map<String, String> fields(Map<Object, Object> values) {
		Map<String, String> fields = new LinkedHashMap<>();
		values.forEach((name, value) -> fields.put(name.toString(), value.toString()));
		return fields;
	}

	private static QueuedJob job(String queue, Map<String, String> fields, @Nullable Instant dueAt, boolean running) {
		JobMessage message = JobMessage.fromFields(fields);
		return new QueuedJob(message.id(), queue, message.task(), message.payload(), message.headers(),
				message.retries(), dueAt, running);
	}

}
