package io.taskq.support;

import org.springframework.util.Assert;

/**
 * The Redis keys of one queue. Every key embeds the queue name as a hash tag
 * ({@code taskq:{emails}:stream}), so all keys of a queue live in one Cluster slot and
 * every script touching them runs unchanged on Redis Cluster.
 *
 * @param queue the queue name
 * @param stream the stream of ready jobs, read by the consumer group {@link #GROUP}
 * @param delayed sorted set of delayed job ids scored by due time (epoch millis)
 * @param delayedJobs hash of delayed job id to its encoded {@link JobMessage}
 * @param dead sorted set of dead job ids scored by the time they died
 * @param deadJobs hash of dead job id to its encoded {@link DeadJobRecord}
 * @param paused flag key, present while the queue is paused
 * @param wakeChannel pub/sub channel announcing a new earliest due time, and pause and
 * resume
 */
public record QueueKeys(String queue, String stream, String delayed, String delayedJobs, String dead, String deadJobs,
		String paused, String wakeChannel) {

	/** The one consumer group of every queue's stream. */
	public static final String GROUP = "taskq";

	public static QueueKeys of(String prefix, String queue) {
		Assert.hasText(queue, "Queue name must not be empty");
		Assert.isTrue(queue.indexOf('{') < 0 && queue.indexOf('}') < 0,
				() -> "Queue name '" + queue + "' must not contain '{' or '}'");
		String base = prefix + ":{" + queue + "}:";
		return new QueueKeys(queue, base + "stream", base + "delayed", base + "delayed:jobs", base + "dead",
				base + "dead:jobs", base + "paused", base + "wake");
	}

}
