package io.taskq.support;

/**
 * The figures of one queue at one moment.
 *
 * @param queue the queue
 * @param ready jobs in the stream not finished: waiting, or delivered and running
 * (finished entries a trim has not removed yet are not counted)
 * @param inFlight jobs delivered to a worker and not yet acknowledged
 * @param lag jobs in the stream not yet delivered to any worker (the consumer group's
 * lag)
 * @param delayed jobs waiting for their due time (including retries)
 * @param dead jobs in the dead letters
 * @param oldestReadyAgeMillis how long the oldest undelivered job has waited, 0 if none
 */
public record QueueStats(String queue, long ready, long inFlight, long lag, long delayed, long dead,
		long oldestReadyAgeMillis) {

	public static final QueueStats EMPTY = new QueueStats("", 0, 0, 0, 0, 0, 0);

}
