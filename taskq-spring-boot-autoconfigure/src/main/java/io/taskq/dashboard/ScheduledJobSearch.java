package io.taskq.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.taskq.dashboard.BoundedScan.Page;
import io.taskq.support.JobMessage;
import io.taskq.support.redis.JobJson;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.QueueKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Scheduled jobs of a queue (delayed, and failed ones waiting for their retry), soonest
 * first, narrowed by due time (the score) and task (read from the jobs a page examines:
 * an index by task would cost every delayed enqueue a write).
 */
class ScheduledJobSearch {

	private final StringRedisTemplate redis;

	private final KeySpace keys;

	private final BoundedScan scan;

	ScheduledJobSearch(StringRedisTemplate redis, KeySpace keys) {
		this.redis = redis;
		this.keys = keys;
		this.scan = new BoundedScan(redis);
	}

	JobPage<ScheduledJobRow> page(String queue, JobFilter filter, @Nullable String cursor, int limit) {
		QueueKeys queueKeys = this.keys.queue(queue);
		Page<ScheduledJobRow> page = this.scan.page(queueKeys.delayed(), false, filter, cursor, limit,
				(ids) -> read(queue, ids), (job) -> filter.task() == null || Objects.equals(filter.task(), job.task()));
		Long total = this.redis.opsForZSet().zCard(queueKeys.delayed());
		return new JobPage<>(page.rows(), page.nextCursor(), (total != null) ? total : 0);
	}

	/** The ids of every scheduled job the filter matches, up to {@code max}. */
	List<String> matchingIds(String queue, JobFilter filter, int max) {
		return BoundedScan.ids((cursor) -> page(queue, filter, cursor, BoundedScan.MAX_LIMIT), ScheduledJobRow::id,
				max);
	}

	/** A scheduled job, {@code null} if the queue has no such scheduled job. */
	@Nullable JobMessage job(String queue, String jobId) {
		Object body = this.redis.opsForHash().get(this.keys.queue(queue).delayedJobs(), jobId);
		return (body != null) ? JobMessage.fromFields(JobJson.readFields(body.toString())) : null;
	}

	/** When a scheduled job is due, {@code null} if it is not scheduled. */
	@Nullable Instant dueAt(String queue, String jobId) {
		Double score = this.redis.opsForZSet().score(this.keys.queue(queue).delayed(), jobId);
		return (score != null) ? Instant.ofEpochMilli(score.longValue()) : null;
	}

	private List<@Nullable ScheduledJobRow> read(String queue, List<String> ids) {
		List<@Nullable ScheduledJobRow> rows = new ArrayList<>(ids.size());
		if (ids.isEmpty()) {
			return rows;
		}
		QueueKeys queueKeys = this.keys.queue(queue);
		List<Object> bodies = this.redis.opsForHash().multiGet(queueKeys.delayedJobs(), new ArrayList<>(ids));
		List<Double> scores = this.redis.opsForZSet().score(queueKeys.delayed(), ids.toArray());
		for (int i = 0; i < ids.size(); i++) {
			Object body = bodies.get(i);
			Double score = (scores != null) ? scores.get(i) : null;
			if (body == null || score == null) {
				rows.add(null);
				continue;
			}
			JobMessage job = JobMessage.fromFields(JobJson.readFields(body.toString()));
			rows.add(new ScheduledJobRow(job.id().value(), queue, job.task(), Instant.ofEpochMilli(score.longValue()),
					job.retries() + 1, job.retries() > 0));
		}
		return rows;
	}

	/**
	 * A scheduled job in a list.
	 *
	 * @param id the job id
	 * @param queue the queue
	 * @param task the task
	 * @param dueAt when it is due
	 * @param attempt the attempt it will make
	 * @param retrying whether it failed before and waits for a retry
	 */
	record ScheduledJobRow(String id, String queue, String task, Instant dueAt, int attempt, boolean retrying) {

	}

}
