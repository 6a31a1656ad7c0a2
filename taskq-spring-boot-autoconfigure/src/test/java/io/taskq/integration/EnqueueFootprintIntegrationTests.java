package io.taskq.integration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.taskq.JobId;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.testing.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, point 4: what an enqueued job costs Redis in memory and CPU while it waits,
 * for plain jobs one at a time (the hot path), in batches, and with explicit ids (which
 * hold an id record). {@code -Dtaskq.test.footprint-jobs=N} changes the count (20,000 by
 * default; the figures in the issue are for 100,000).
 */
class EnqueueFootprintIntegrationTests {

	private final JobRecorder recorder = new JobRecorder();

	@Test
	void waitingJobsCostAFewHundredBytesEach() {
		int total = Integer.getInteger("taskq.test.footprint-jobs", 20_000);
		try (RedisServer redis = RedisServer.start();
				ConfigurableApplicationContext producer = TaskqApp.start(redis, RecordHandler.class, this.recorder,
						"taskq.listener.enabled=false")) {
			JobClient jobs = producer.getBean(JobClient.class);
			Footprint plain = measure(redis, "plain", total,
					(i) -> jobs.submit(JobRequest.of("record", "n" + i).withQueue("plain")));
			Footprint explicit = measure(redis, "explicit", total, (i) -> jobs
				.submit(JobRequest.of("record", "n" + i).withQueue("explicit").withJobId(JobId.generate())));
			List<JobRequest> batch = new ArrayList<>();
			Footprint batched = measure(redis, "batched", total, (i) -> {
				batch.add(JobRequest.of("record", "n" + i).withQueue("batched"));
				if (batch.size() == JobClient.BATCH_SIZE || i == total - 1) {
					jobs.enqueueAll(batch);
					batch.clear();
				}
			});
			FaultReport.add(plain.toString());
			FaultReport.add(explicit.toString());
			FaultReport.add(batched.toString());
			System.out.println(plain + "\n" + explicit + "\n" + batched);
			assertThat(redis.command("XLEN", "taskq:{plain}:stream")).isEqualTo(Integer.toString(total + 1));
			// Per producer and queue, whatever the number of jobs (issue 16).
			for (String sent : redis.command("KEYS", "*:sent:*").lines().filter((key) -> !key.isBlank()).toList()) {
				long bytes = Long.parseLong(redis.command("MEMORY", "USAGE", sent));
				System.out.println("record of calls done " + sent + ": " + bytes + " bytes");
				assertThat(bytes).isLessThan(1024);
			}
			assertThat(plain.bytesPerJob()).isLessThan(200);
			assertThat(explicit.bytesPerJob()).isLessThan(400);
		}
	}

	private static Footprint measure(RedisServer redis, String queue, int total, Consumer<Integer> enqueue) {
		// The queue's stream exists before the baseline, so only the jobs are counted.
		enqueue.accept(-1);
		long memory = info(redis, "memory", "used_memory");
		double cpu = cpuSeconds(redis);
		long[] scripts = scriptStats(redis);
		long start = System.nanoTime();
		for (int i = 0; i < total; i++) {
			enqueue.accept(i);
		}
		long nanos = System.nanoTime() - start;
		long[] scriptsAfter = scriptStats(redis);
		return new Footprint(queue, total, (double) (info(redis, "memory", "used_memory") - memory) / total,
				(cpuSeconds(redis) - cpu) * 1e6 / total, (double) (scriptsAfter[1] - scripts[1]) / total,
				(double) (scriptsAfter[1] - scripts[1]) / (scriptsAfter[0] - scripts[0]), nanos / 1e3 / total);
	}

	/** EVALSHA calls and the microseconds Redis spent running them. */
	private static long[] scriptStats(RedisServer redis) {
		String stats = infoText(redis, "commandstats", "cmdstat_evalsha");
		long calls = Long.parseLong(stats.replaceAll("^calls=(\\d+),.*", "$1"));
		long usec = Long.parseLong(stats.replaceAll("^.*?,usec=(\\d+),.*", "$1"));
		return new long[] { calls, usec };
	}

	private static double cpuSeconds(RedisServer redis) {
		return Double.parseDouble(infoText(redis, "cpu", "used_cpu_user"))
				+ Double.parseDouble(infoText(redis, "cpu", "used_cpu_sys"));
	}

	private static long info(RedisServer redis, String section, String field) {
		return Long.parseLong(infoText(redis, section, field));
	}

	private static String infoText(RedisServer redis, String section, String field) {
		for (String line : redis.command("INFO", section).split("\r?\n")) {
			if (line.startsWith(field + ":")) {
				return line.substring(field.length() + 1).trim();
			}
		}
		throw new IllegalStateException("No " + field + " in INFO " + section);
	}

	record Footprint(String queue, int jobs, double bytesPerJob, double redisCpuMicrosPerJob, double scriptMicrosPerJob,
			double scriptMicrosPerCall, double clientMicrosPerJob) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"enqueue footprint, %s: %d jobs; per job %.1f bytes of used_memory, %.1f µs of Redis CPU"
							+ " (%.2f µs running the script, %.2f µs per script call), %.1f µs per enqueue call"
							+ " in the client",
					this.queue, this.jobs, this.bytesPerJob, this.redisCpuMicrosPerJob, this.scriptMicrosPerJob,
					this.scriptMicrosPerCall, this.clientMicrosPerJob);
		}

	}

}
