package io.taskq.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, for tests, the sample app
 * and the benchmark.
 * <p>
 * The executable is, in order: the file named by the {@code TASKQ_REDIS_SERVER}
 * environment variable or {@code taskq.redis-server} system property;
 * {@code redis-server} on the {@code PATH} when it is 6.2 or later (Debian's Redis 7,
 * say); otherwise the binary that the {@code com.github.codemonstur:embedded-redis} jar
 * ships, extracted once to the temp directory, so a machine with only a JDK and Maven can
 * run everything. Setting the variable or property to {@code embedded} forces the shipped
 * binary.
 * <p>
 * Every started server is stopped by {@link #close()} and, as a last resort, by a JVM
 * shutdown hook, so a failing test never leaks a process.
 */
public final class RedisServer implements AutoCloseable {

	private static final Path SETSID = Path.of("/usr/bin/setsid");

	private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

	private final List<String> extraArguments;

	private final Path directory;

	private final String executable;

	private int port;

	private Process process;

	private volatile boolean frozen;

	private final Thread shutdownHook = new Thread(this::destroyQuietly, "redis-server-reaper");

	private RedisServer(List<String> extraArguments) {
		this.extraArguments = List.copyOf(extraArguments);
		this.executable = RedisExecutable.resolve();
		try {
			this.directory = Files.createTempDirectory("taskq-redis-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Starts a server on a free port with persistence off.
	 * @param extraArguments further {@code redis-server} arguments, e.g.
	 * {@code "--maxmemory", "8mb"}
	 * @return the running server
	 */
	public static RedisServer start(String... extraArguments) {
		return startOnPort(freePort(), extraArguments);
	}

	public static RedisServer startOnPort(int port, String... extraArguments) {
		RedisServer server = new RedisServer(List.of(extraArguments));
		Runtime.getRuntime().addShutdownHook(server.shutdownHook);
		try {
			server.launch(port);
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	/**
	 * Leaves stopping to the caller alone: for an application that must keep Redis until
	 * its own shutdown (draining jobs) is done, which a JVM hook running alongside would
	 * break.
	 */
	public RedisServer withoutShutdownHook() {
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// Already shutting down.
		}
		return this;
	}

	public int port() {
		return this.port;
	}

	public String host() {
		return "127.0.0.1";
	}

	public String uri() {
		return "redis://" + host() + ":" + this.port;
	}

	/** The directory holding this server's data files (AOF, RDB). */
	public Path directory() {
		return this.directory;
	}

	public String executable() {
		return this.executable;
	}

	public boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/** Stops the server with SIGKILL: no save, no goodbye to clients. */
	public void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
			waitFor(this.process);
		}
	}

	/**
	 * Freezes the server with SIGSTOP: its connections stay open but nothing is read or
	 * answered until {@link #thaw()}, as in a long pause of the host. {@link #close()}
	 * thaws a frozen server before stopping it.
	 */
	public void freeze() {
		signal("-STOP");
		this.frozen = true;
	}

	/** Resumes a server frozen by {@link #freeze()} with SIGCONT. */
	public void thaw() {
		signal("-CONT");
		this.frozen = false;
	}

	private void signal(String signal) {
		try {
			Process kill = new ProcessBuilder("kill", signal, Long.toString(this.process.pid())).inheritIO().start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill " + signal + " " + this.process.pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Stops the server with SIGTERM, as an operator would (it saves if persistence is
	 * on).
	 */
	public void stop() {
		if (this.frozen && isRunning()) {
			thaw();
		}
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!waitFor(this.process)) {
				this.process.destroyForcibly();
				waitFor(this.process);
			}
		}
	}

	/** Starts the server again on the same port, with the same data directory. */
	public void restart() {
		stop();
		launch(this.port);
	}

	/**
	 * Sends one command and returns the raw RESP reply, for test set-up and assertions
	 * that must not go through the code under test.
	 */
	public String command(String... arguments) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 2000);
			socket.setSoTimeout(5000);
			StringBuilder request = new StringBuilder("*").append(arguments.length).append("\r\n");
			for (String argument : arguments) {
				byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
				request.append('$').append(bytes.length).append("\r\n").append(argument).append("\r\n");
			}
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			return RespReader.read(socket.getInputStream());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		stop();
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// Already shutting down: the hook runs anyway.
		}
		deleteDirectory();
	}

	private void launch(int port) {
		List<String> command = new ArrayList<>();
		if (Files.isExecutable(SETSID)) {
			// Its own session: a Ctrl-C or SIGTERM to the JVM's process group must not
			// kill Redis
			// before the application has drained its jobs. setsid execs in place, same
			// pid.
			command.add(SETSID.toString());
		}
		command.addAll(List.of(this.executable, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir",
				this.directory.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel",
				"warning"));
		command.addAll(this.extraArguments);
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("redis.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + this.executable, ex);
		}
		this.port = port;
		awaitReady();
	}

	private void awaitReady() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("redis-server exited at start-up: " + log());
			}
			try {
				if (command("PING").equals("PONG")) {
					return;
				}
			}
			catch (UncheckedIOException ex) {
				// Not listening yet, or still loading its data set.
			}
			sleep(20);
		}
		destroyQuietly();
		throw new IllegalStateException("redis-server did not answer PING within " + START_TIMEOUT + ": " + log());
	}

	private String log() {
		try {
			return Files.readString(this.directory.resolve("redis.log"));
		}
		catch (IOException ex) {
			return "(no log)";
		}
	}

	private void destroyQuietly() {
		if (this.process != null) {
			this.process.destroyForcibly();
		}
	}

	private void deleteDirectory() {
		try (var paths = Files.walk(this.directory)) {
			paths.sorted((a, b) -> b.compareTo(a)).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// Temp files only.
		}
	}

	private static boolean waitFor(Process process) {
		try {
			return process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
