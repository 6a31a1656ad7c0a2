package io.taskq.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.taskq.JobContext;
import io.taskq.annotation.TaskHandler;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The benchmark's jobs. Each body is one Redis command recording the job id (as in other
 * queues' published benchmarks), which also lets every run check that each job ran
 * exactly once.
 */
public class BenchHandlers {

	static final String DONE = "bench:done";

	private final StringRedisTemplate redis;

	/** Start times (nanoTime) by job id, for workloads whose producer shares this JVM. */
	final ConcurrentMap<String, Long> startedAt = new ConcurrentHashMap<>();

	volatile boolean recordStarts;

	public BenchHandlers(StringRedisTemplate redis) {
		this.redis = redis;
	}

	@TaskHandler(task = "bench.noop", queue = "bench")
	public void noop(JobContext context) {
		if (this.recordStarts) {
			this.startedAt.put(context.jobId().value(), System.nanoTime());
		}
		this.redis.opsForList().rightPush(DONE, context.jobId().value());
	}

}
