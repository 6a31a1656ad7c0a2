package io.taskq.client;

import java.util.List;

import io.taskq.JobId;
import org.jspecify.annotations.Nullable;

/**
 * Redis is at or near its {@code maxmemory}: the job was not enqueued, and nothing
 * already queued was touched. Retry after workers have drained the queue or memory was
 * added.
 */
public class RedisCapacityException extends JobEnqueueException {

	private final String queue;

	private final long usedMemory;

	private final long maxMemory;

	public RedisCapacityException(String queue, long usedMemory, long maxMemory, String detail,
			@Nullable Throwable cause) {
		this(queue, List.of(), usedMemory, maxMemory, detail, cause);
	}

	public RedisCapacityException(String queue, List<JobId> jobIds, long usedMemory, long maxMemory, String detail,
			@Nullable Throwable cause) {
		super("Could not enqueue " + describe(jobIds) + "on queue '" + queue + "': Redis memory is full or nearly so ("
				+ usedMemory + " of maxmemory " + maxMemory + " bytes used); " + detail
				+ ". Refused: not stored, so sending it again once workers have"
				+ " drained the queue cannot double it", Outcome.REFUSED, jobIds, cause);
		this.queue = queue;
		this.usedMemory = usedMemory;
		this.maxMemory = maxMemory;
	}

	private static String describe(List<JobId> jobIds) {
		return switch (jobIds.size()) {
			case 0 -> "";
			case 1 -> "job " + jobIds.get(0) + " ";
			default -> jobIds.size() + " jobs (first " + jobIds.get(0) + ") ";
		};
	}

	public String getQueue() {
		return this.queue;
	}

	public long getUsedMemory() {
		return this.usedMemory;
	}

	public long getMaxMemory() {
		return this.maxMemory;
	}

}
