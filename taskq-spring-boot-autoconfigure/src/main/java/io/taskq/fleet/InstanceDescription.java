package io.taskq.fleet;

import java.util.List;

/**
 * What an instance says of itself in its heartbeat.
 *
 * @param id the instance id (its consumer name when it runs workers)
 * @param host the host name
 * @param pid the process id
 * @param version the taskq version, empty when unknown
 * @param queues the queues it serves, empty for a producer only
 * @param concurrency its worker slots over every queue
 * @param busy the slots running a job now
 * @param startedAt when it started (epoch millis)
 */
public record InstanceDescription(String id, String host, long pid, String version, List<String> queues,
		int concurrency, int busy, long startedAt) {

	/**
	 * An instance's workers at one moment.
	 *
	 * @param queues the queues served
	 * @param concurrency slots over every queue
	 * @param busy slots running a job now
	 */
	public record Workers(List<String> queues, int concurrency, int busy) {

		/** An instance that runs no workers. */
		public static final Workers NONE = new Workers(List.of(), 0, 0);

	}

}
