package io.taskq.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.taskq.dashboard.BoundedScan.Page;
import io.taskq.support.JobMessage;
import io.taskq.support.redis.DeadJobRecord;
import io.taskq.support.redis.JobJson;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.QueueKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Dead jobs of a queue, newest first, narrowed by task (over the task index the
 * dead-letter script keeps), time of death (the score) and error text (read from the
 * records a page examines).
 */
class DeadJobSearch {

	private final StringRedisTemplate redis;

	private final KeySpace keys;

	private final BoundedScan scan;

	DeadJobSearch(StringRedisTemplate redis, KeySpace keys) {
		this.redis = redis;
		this.keys = keys;
		this.scan = new BoundedScan(redis);
	}

	JobPage<DeadJobRow> page(String queue, JobFilter filter, @Nullable String cursor, int limit) {
		QueueKeys queueKeys = this.keys.queue(queue);
		String index = (filter.task() != null) ? queueKeys.deadByTask(filter.task()) : queueKeys.dead();
		Page<DeadJobRow> page = this.scan.page(index, true, filter, cursor, limit, (ids) -> read(queue, ids),
				(job) -> filter.matchesError(job.reason(), job.errorType()));
		Long total = this.redis.opsForZSet().zCard(queueKeys.dead());
		return new JobPage<>(page.rows(), page.nextCursor(), (total != null) ? total : 0);
	}

	/** The ids of every dead job the filter matches, up to {@code max}. */
	List<String> matchingIds(String queue, JobFilter filter, int max) {
		return BoundedScan.ids((cursor) -> page(queue, filter, cursor, BoundedScan.MAX_LIMIT), DeadJobRow::id, max);
	}

	/** A dead job's record, {@code null} if the queue has no such dead job. */
	@Nullable DeadJobRecord record(String queue, String jobId) {
		Object body = this.redis.opsForHash().get(this.keys.queue(queue).deadJobs(), jobId);
		return (body != null) ? JobJson.readDead(body.toString()) : null;
	}

	private List<@Nullable DeadJobRow> read(String queue, List<String> ids) {
		List<@Nullable DeadJobRow> rows = new ArrayList<>(ids.size());
		if (ids.isEmpty()) {
			return rows;
		}
		List<Object> bodies = this.redis.opsForHash().multiGet(this.keys.queue(queue).deadJobs(), new ArrayList<>(ids));
		for (int i = 0; i < ids.size(); i++) {
			Object body = bodies.get(i);
			rows.add((body != null) ? row(queue, JobJson.readDead(body.toString())) : null);
		}
		return rows;
	}

	private static DeadJobRow row(String queue, DeadJobRecord record) {
		JobMessage job = JobMessage.fromFields(record.job());
		return new DeadJobRow(job.id().value(), queue, job.task(), record.reason(), record.errorType(),
				record.attempts(), Instant.ofEpochMilli(job.createdAt()), Instant.ofEpochMilli(record.failedAt()));
	}

	/**
	 * A dead job in a list.
	 *
	 * @param id the job id
	 * @param queue the queue
	 * @param task the task
	 * @param reason why it died
	 * @param errorType the exception class, empty if none
	 * @param attempts how many times it ran
	 * @param enqueuedAt when it was first enqueued
	 * @param failedAt when it died
	 */
	record DeadJobRow(String id, String queue, String task, String reason, String errorType, int attempts,
			Instant enqueuedAt, Instant failedAt) {

	}

}
