package io.taskq.recurring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.taskq.JobId;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.support.redis.KeySpace;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link RecurringJobs} on the schedules' state hashes: {@link #list()} reads each with
 * one HMGET, pause and resume set or delete the hash's {@code paused} field, which the
 * fire script reads at every occurrence.
 */
class RedisRecurringJobs implements RecurringJobs {

	/** Field names of the state hash, as fire.lua writes them. */
	private static final String LAST = "last";

	private static final String PAUSED = "paused";

	private final StringRedisTemplate redis;

	private final KeySpace keys;

	private final RecurringJobRegistry registry;

	private final JobClient jobClient;

	public RedisRecurringJobs(StringRedisTemplate redis, KeySpace keys, RecurringJobRegistry registry,
			JobClient jobClient) {
		this.jobClient = jobClient;
		this.redis = redis;
		this.keys = keys;
		this.registry = registry;
	}

	@Override
	public List<RecurringJobInfo> list() {
		Instant now = Instant.now();
		List<RecurringJobInfo> infos = new ArrayList<>();
		for (RecurringJob job : this.registry.jobs()) {
			List<Object> state = this.redis.opsForHash()
				.multiGet(this.keys.recurringJob(job.queue(), job.name()), List.of(LAST, PAUSED));
			Object last = state.get(0);
			Instant lastFired = (last != null) ? Instant.ofEpochMilli(Long.parseLong(last.toString())) : null;
			infos.add(new RecurringJobInfo(job.name(), job.queue(), job.schedule(), job.misfire(), state.get(1) != null,
					lastFired, job.schedule().next(now)));
		}
		return infos;
	}

	@Override
	public void pause(String name) {
		RecurringJob job = job(name);
		this.redis.opsForHash().put(this.keys.recurringJob(job.queue(), job.name()), PAUSED, "1");
	}

	@Override
	public void resume(String name) {
		RecurringJob job = job(name);
		this.redis.opsForHash().delete(this.keys.recurringJob(job.queue(), job.name()), PAUSED);
	}

	@Override
	public JobId trigger(String name) {
		RecurringJob job = job(name);
		return this.jobClient.submit(JobRequest.of(job.name(), null)
			.withQueue(job.queue())
			.withHeader(RecurringJob.OCCURRENCE_HEADER, Instant.now().toString())
			.withHeader(RecurringJob.TRIGGERED_HEADER, "manual"));
	}

	private RecurringJob job(String name) {
		RecurringJob job = this.registry.job(name);
		if (job == null) {
			throw new IllegalArgumentException("No recurring job '" + name + "' in this application; it has "
					+ this.registry.jobs().stream().map(RecurringJob::name).toList());
		}
		return job;
	}

}
