package io.taskq.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Worker JVMs of the benchmark: started as {@code bench-worker} with the same class path,
 * measured through {@code /proc} (user + system CPU), stopped with SIGTERM.
 */
final class WorkerProcesses implements AutoCloseable {

	private final List<Process> processes = new ArrayList<>();

	static WorkerProcesses start(int count, String host, int port, int concurrency, String queue) {
		WorkerProcesses workers = new WorkerProcesses();
		for (int i = 0; i < count; i++) {
			workers.processes.add(launch(host, port, concurrency, queue));
		}
		return workers;
	}

	private static Process launch(String host, int port, int concurrency, String queue) {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		String classPath = System.getProperty("java.class.path");
		List<String> command = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx512m"));
		// For profiling a worker, e.g.
		// -Dbench.worker-jvm-args=-XX:StartFlightRecording=filename=w.jfr
		// and -Dbench.worker-jvm-args.<queue>=... for the JVMs of one setting only.
		for (String name : List.of("bench.worker-jvm-args", "bench.worker-jvm-args." + queue)) {
			String extra = System.getProperty(name, "").trim();
			if (!extra.isEmpty()) {
				command.addAll(List.of(extra.split("\\s+")));
			}
		}
		if (!classPath.contains(File.pathSeparator) && classPath.endsWith(".jar")) {
			command.addAll(List.of("-jar", classPath));
		}
		else {
			command.addAll(List.of("-cp", classPath, "io.taskq.sample.SampleApplication"));
		}
		command.addAll(List.of("bench-worker", "--spring.data.redis.host=" + host, "--spring.data.redis.port=" + port,
				"--spring.main.banner-mode=off", "--spring.data.redis.repositories.enabled=false",
				"--logging.level.root=WARN", "--spring.main.log-startup-info=false", "--spring.data.redis.timeout=10s",
				BenchWorkerApplication.CONSOLIDATE_FLUSHES, "--taskq.concurrency=" + concurrency,
				"--bench.queue=" + queue));
		try {
			Path log = Files.createTempFile("taskq-bench-worker-", ".log");
			return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** User plus system CPU seconds of every worker so far. */
	double cpuSeconds() {
		double total = 0;
		for (Process process : this.processes) {
			total += cpuSeconds(process.pid());
		}
		return total;
	}

	/**
	 * CPU seconds of the workers' JIT compiler threads so far: the part of a worker's CPU
	 * that is not running jobs but compiling the code that runs them.
	 */
	double compilerCpuSeconds() {
		double total = 0;
		for (Process process : this.processes) {
			try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
				for (Path thread : threads.toList()) {
					if (isCompilerThread(thread)) {
						total += cpuSeconds(thread.resolve("stat"));
					}
				}
			}
			catch (IOException | UncheckedIOException ex) {
				return Double.NaN;
			}
		}
		return total;
	}

	private static boolean isCompilerThread(Path thread) {
		try {
			String name = Files.readString(thread.resolve("comm"));
			// HotSpot's names, cut to 15 characters by Linux: "C2 CompilerThre".
			return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
		}
		catch (IOException ex) {
			// The thread has ended.
			return false;
		}
	}

	static double cpuSeconds(long pid) {
		return cpuSeconds(Path.of("/proc", Long.toString(pid), "stat"));
	}

	private static double cpuSeconds(Path statFile) {
		try {
			String stat = Files.readString(statFile);
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// utime and stime are fields 14 and 15 of stat, 12 and 13 after the command
			// name.
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return ticks / 100.0;
		}
		catch (IOException | RuntimeException ex) {
			return Double.NaN;
		}
	}

	@Override
	public void close() {
		this.processes.forEach(Process::destroy);
		for (Process process : this.processes) {
			try {
				if (!process.waitFor(30, TimeUnit.SECONDS)) {
					process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
