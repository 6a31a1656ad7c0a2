package io.taskq.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Options of the {@code bench} command, from {@code --name=value} arguments.
 *
 * @param redis the Redis to use, {@code null} to start an embedded one
 * @param workloads the workloads to run, in order
 * @param jobs jobs of the throughput and cpu workloads
 * @param concurrency worker slots per worker JVM
 * @param processes worker JVM counts for the throughput workload
 * @param warmUpRounds warm-up rounds at most before a worker JVM's drain is measured
 * @param repeats measured drains per setting, of which the median is reported
 * @param rate jobs per second of the latency workload
 * @param latencyJobs jobs of the latency workload
 * @param latencyWarmUpSeconds longest warm-up at the latency workload's rate
 * @param delayedJobs jobs of the delayed workload
 * @param idleSeconds length of the idle workload
 * @param handler the style of the jobs' handler, {@code async} or {@code sync}
 * @param json where the JSON lines go
 */
record BenchOptions(@Nullable URI redis, List<String> workloads, int jobs, int concurrency, List<Integer> processes,
		int warmUpRounds, int repeats, int rate, int latencyJobs, int latencyWarmUpSeconds, int delayedJobs,
		int idleSeconds, String handler, Path json) {

	static final String USAGE = """
			usage: java -jar taskq-sample-app.jar bench [--name=value ...]
			  --redis=redis://host:port   Redis to use (default: start an embedded redis-server)
			  --workloads=throughput,latency,delayed,idle,cpu   (default: all)
			  --jobs=200000               jobs of the throughput and cpu workloads
			  --concurrency=64            worker slots per worker JVM
			  --processes=1,2,4           worker JVMs of the throughput workload
			  --warm-up-rounds=20         warm-up drains at most per setting (of 50,000
			                              jobs per JVM) before drains are measured; fewer
			                              once the JIT compilers take under 5% of worker
			                              CPU, also in a round of settings taking turns
			  --repeats=5                 measured drains per setting, the settings taking
			                              turns; the median is the drain figure, the
			                              slowest and fastest are shown
			  --rate=500 --latency-jobs=5000   the latency workload's steady producer
			  --latency-warm-up-seconds=60   the most seconds it sends at that rate
			                              before measuring; fewer once 5 seconds in a
			                              row took the JIT compilers under 10 ms each
			  --delayed-jobs=5000         jobs all due at one instant, 3 s ahead
			  --idle-seconds=30           length of the idle workload
			  --handler=async             the job's handler: async (returns the RPUSH's
			                              CompletionStage) or sync (blocks on it)
			  --json=bench-results.jsonl  JSON lines output (appended)""";

	static BenchOptions parse(String[] args) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("Unknown argument '" + arg + "'\n" + USAGE);
			}
			values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		BenchOptions options = new BenchOptions(values.containsKey("redis") ? URI.create(values.remove("redis")) : null,
				List.of(values.getOrDefault("workloads", "throughput,latency,delayed,idle,cpu").split(",")),
				intValue(values, "jobs", 200_000), intValue(values, "concurrency", 64),
				Arrays.stream(values.getOrDefault("processes", "1,2,4").split(",")).map(Integer::valueOf).toList(),
				intValue(values, "warm-up-rounds", 20), intValue(values, "repeats", 5), intValue(values, "rate", 500),
				intValue(values, "latency-jobs", 5000), intValue(values, "latency-warm-up-seconds", 60),
				intValue(values, "delayed-jobs", 5000), intValue(values, "idle-seconds", 30),
				values.getOrDefault("handler", "async"), Path.of(values.getOrDefault("json", "bench-results.jsonl")));
		values.keySet()
			.removeAll(List.of("workloads", "jobs", "concurrency", "processes", "warm-up-rounds", "repeats", "rate",
					"latency-jobs", "latency-warm-up-seconds", "delayed-jobs", "idle-seconds", "handler", "json"));
		if (!values.isEmpty()) {
			throw new IllegalArgumentException("Unknown options " + values.keySet() + "\n" + USAGE);
		}
		if (!List.of("async", "sync").contains(options.handler())) {
			throw new IllegalArgumentException("--handler must be async or sync\n" + USAGE);
		}
		if (options.warmUpRounds() < 1) {
			throw new IllegalArgumentException("--warm-up-rounds must be at least 1\n" + USAGE);
		}
		if (options.repeats() < 1) {
			throw new IllegalArgumentException("--repeats must be at least 1\n" + USAGE);
		}
		return options;
	}

	/** The task the benchmark's jobs run. */
	String task() {
		return this.handler.equals("sync") ? BenchHandlers.SYNC : BenchHandlers.ASYNC;
	}

	private static int intValue(Map<String, String> values, String name, int fallback) {
		String value = values.get(name);
		return (value != null) ? Integer.parseInt(value) : fallback;
	}

}
