package io.taskq.client;

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
			@org.jspecify.annotations.Nullable Throwable cause) {
		super("Could not enqueue on queue '" + queue + "': Redis memory is full or nearly so (" + usedMemory
				+ " of maxmemory " + maxMemory + " bytes used); " + detail, cause);
		this.queue = queue;
		this.usedMemory = usedMemory;
		this.maxMemory = maxMemory;
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
