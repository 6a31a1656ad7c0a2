package io.taskq.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.taskq.JobId;
import io.taskq.support.JobMessage;
import io.taskq.support.redis.DeadJobRecord;
import io.taskq.support.redis.DeadLetterScripts;
import io.taskq.support.redis.JobJson;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.QueueKeys;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link DeadJobs} on a queue's dead sorted set and hash.
 */
public class RedisDeadJobs implements DeadJobs {

	private final StringRedisTemplate redis;

	private final DeadLetterScripts deadLetters;

	private final KeySpace keys;

	public RedisDeadJobs(StringRedisTemplate redis, KeySpace keys) {
		this.redis = redis;
		this.deadLetters = new DeadLetterScripts(redis);
		this.keys = keys;
	}

	@Override
	public long count(String queue) {
		Long count = this.redis.opsForZSet().zCard(this.keys.queue(queue).dead());
		return (count != null) ? count : 0;
	}

	@Override
	public List<DeadJob> list(String queue, int offset, int limit) {
		QueueKeys queueKeys = this.keys.queue(queue);
		Set<String> ids = this.redis.opsForZSet().reverseRange(queueKeys.dead(), offset, offset + limit - 1L);
		if (ids == null || ids.isEmpty()) {
			return List.of();
		}
		List<Object> bodies = this.redis.opsForHash().multiGet(queueKeys.deadJobs(), new ArrayList<>(ids));
		List<DeadJob> jobs = new ArrayList<>(bodies.size());
		for (Object body : bodies) {
			if (body != null) {
				jobs.add(toDeadJob(queue, JobJson.readDead((String) body)));
			}
		}
		return jobs;
	}

	@Override
	public boolean retry(String queue, JobId id) {
		QueueKeys queueKeys = this.keys.queue(queue);
		return this.deadLetters.retryDead(queueKeys, id.value());
	}

	@Override
	public long retryAll(String queue) {
		// A snapshot, so jobs that die again while this runs are not retried in a loop.
		Set<String> ids = this.redis.opsForZSet().range(this.keys.queue(queue).dead(), 0, -1);
		long sent = 0;
		if (ids != null) {
			for (String id : ids) {
				sent += retry(queue, JobId.of(id)) ? 1 : 0;
			}
		}
		return sent;
	}

	@Override
	public boolean delete(String queue, JobId id) {
		return new DeadLetterScripts(this.redis).delete(this.keys.queue(queue), List.of(id.value())) > 0;
	}

	private static DeadJob toDeadJob(String queue, DeadJobRecord record) {
		JobMessage job = JobMessage.fromFields(record.job());
		return new DeadJob(job.id(), queue, job.task(), job.payload(), record.reason(), record.errorType(),
				record.stackTrace(), record.attempts(), Instant.ofEpochMilli(job.createdAt()),
				Instant.ofEpochMilli(record.failedAt()), job.headers());
	}

}
