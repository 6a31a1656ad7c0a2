package io.taskq.integration;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.taskq.testing.RedisServer;

/**
 * A {@link WorkerMain} in its own JVM, on the test's class path. {@link #kill()} is
 * SIGKILL: no shutdown hook, no graceful stop, exactly a crashed worker.
 */
final class WorkerProcess implements AutoCloseable {

	private final Process process;

	private final Path log;

	private WorkerProcess(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	static WorkerProcess start(RedisServer redis, String... properties) {
		try {
			Path log = Files.createTempFile("taskq-worker-", ".log");
			List<String> command = new ArrayList<>(List.of(
					Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
					"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(),
					"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
					"--spring.main.banner-mode=off", "--spring.data.redis.repositories.enabled=false",
					"--logging.level.root=WARN", "--logging.level.io.taskq=INFO"));
			for (String property : properties) {
				command.add("--" + property);
			}
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			return new WorkerProcess(process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** SIGKILL, and wait until the process is gone. */
	void kill() {
		this.process.destroyForcibly();
		waitForExit();
	}

	/** SIGTERM: the JVM runs its shutdown hooks and Spring closes the context. */
	void terminate() {
		this.process.destroy();
		waitForExit();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	long pid() {
		return this.process.pid();
	}

	String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "";
		}
	}

	void waitForExit() {
		try {
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
		// The worker's log goes into the test output, to explain a failure.
		System.err.println("---- worker " + this.process.pid() + " log ----\n" + log() + "---- end of worker log ----");
		new File(this.log.toString()).delete();
	}

}
