package io.taskq.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.taskq.JobContext;
import io.taskq.annotation.TaskHandler;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The benchmark's jobs. Each body is one Redis command recording the job id (as in other
 * queues' published benchmarks), which also lets every run check that each job ran
 * exactly once.
 * <p>
 * The same job comes in two styles, as users would write it: a plain method that blocks
 * on the command ({@value #SYNC}), and a method returning the command's
 * {@link CompletionStage} ({@value #ASYNC}), which holds no thread while Redis answers.
 */
public class BenchHandlers {

	static final String DONE = "bench:done";

	static final String SYNC = "bench.noop";

	static final String ASYNC = "bench.noop-async";

	/**
	 * The queue of the jobs: {@code bench}, or another set with {@code bench.queue}, so
	 * that several sets of worker JVMs can wait side by side, each on its own queue.
	 */
	static final String QUEUE = "${bench.queue:" + BenchCommand.DEFAULT_QUEUE + "}";

	private static final byte[] DONE_KEY = DONE.getBytes(StandardCharsets.UTF_8);

	private final StringRedisTemplate redis;

	/** Start times (nanoTime) by job id, for workloads whose producer shares this JVM. */
	final ConcurrentMap<String, Long> startedAt = new ConcurrentHashMap<>();

	volatile boolean recordStarts;

	/** The application's shared Lettuce connection, for the asynchronous style. */
	private final RedisClusterAsyncCommands<byte[], byte[]> async;

	@SuppressWarnings("unchecked")
	public BenchHandlers(StringRedisTemplate redis, RedisConnectionFactory connectionFactory) {
		this.redis = redis;
		// Not closed: with a shared native connection (the default) closing would not
		// release anything, and the benchmark's handlers live as long as the application.
		this.async = (RedisClusterAsyncCommands<byte[], byte[]>) connectionFactory.getConnection()
			.getNativeConnection();
	}

	@TaskHandler(task = SYNC, queue = QUEUE)
	public void noop(JobContext context) {
		recordStart(context);
		this.redis.opsForList().rightPush(DONE, context.jobId().value());
	}

	// A wildcard stage holds no result to keep, so the job is not tracked.
	@TaskHandler(task = ASYNC, queue = QUEUE)
	public CompletionStage<?> noopAsync(JobContext context) {
		recordStart(context);
		return this.async.rpush(DONE_KEY, context.jobId().value().getBytes(StandardCharsets.UTF_8));
	}

	private void recordStart(JobContext context) {
		if (this.recordStarts) {
			this.startedAt.put(context.jobId().value(), System.nanoTime());
		}
	}

}
