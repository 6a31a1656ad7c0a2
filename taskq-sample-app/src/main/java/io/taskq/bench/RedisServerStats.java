package io.taskq.bench;

import java.util.Properties;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Figures of the Redis server the benchmark runs on, from {@code INFO}: what a drain cost
 * Redis, and how large the batches were that the workers sent it.
 */
final class RedisServerStats {

	private final StringRedisTemplate redis;

	RedisServerStats(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** Commands processed so far ({@code total_commands_processed}). */
	long totalCommands() {
		return totalCommands(info("stats"));
	}

	/** CPU seconds of the server so far (user + system, all its threads). */
	double cpuSeconds() {
		Properties cpu = info("cpu");
		return Double.parseDouble(cpu.getProperty("used_cpu_user"))
				+ Double.parseDouble(cpu.getProperty("used_cpu_sys"));
	}

	/** Calls so far of the commands that make the workers' batches. */
	BatchCalls batchCalls() {
		Properties commands = info("commandstats");
		Properties stats = info("stats");
		return new BatchCalls(calls(commands, "xreadgroup"), calls(commands, "xack"), totalCommands(stats),
				Long.parseLong(stats.getProperty("total_reads_processed")));
	}

	private Properties info(String section) {
		return this.redis
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info(section));
	}

	private static long totalCommands(Properties stats) {
		return Long.parseLong(stats.getProperty("total_commands_processed"));
	}

	/** From a line of INFO commandstats: {@code calls=N,usec=...}. */
	private static long calls(Properties stats, String command) {
		String line = stats.getProperty("cmdstat_" + command);
		if (line == null) {
			return 0;
		}
		String calls = line.substring(line.indexOf("calls=") + "calls=".length());
		return Long.parseLong(calls.substring(0, calls.indexOf(',')));
	}

	/**
	 * Calls of XREADGROUP (one per batch of jobs read) and XACK (one per ack script
	 * call), commands, and socket reads ({@code total_reads_processed}): the commands per
	 * socket read tell how many each client's writes carried.
	 */
	record BatchCalls(long reads, long acks, long commands, long socketReads) {

		BatchCalls since(BatchCalls earlier) {
			return new BatchCalls(this.reads - earlier.reads, this.acks - earlier.acks,
					this.commands - earlier.commands, this.socketReads - earlier.socketReads);
		}

	}

}
