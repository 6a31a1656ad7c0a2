package io.taskq.support.redis;

import java.time.Duration;
import java.util.List;

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
 * @param wakeChannel pub/sub channel announcing a new earliest due time, pause and
 * resume, and cancellations
 */
public record QueueKeys(String queue, String stream, String delayed, String delayedJobs, String dead, String deadJobs,
		String paused, String wakeChannel) {

	/**
	 * How long an explicit id stays taken after its job ended: long enough that a retry
	 * after an enqueue of unknown outcome finds it even when the first copy ran at once.
	 */
	public static final Duration ID_KEPT_AFTER_END = Duration.ofMinutes(10);

	/** The one consumer group of every queue's stream. */
	public static final String GROUP = "taskq";

	/** The stream alone, as the key list of a script that takes only it. */
	public List<String> streamKeys() {
		return List.of(this.stream);
	}

	public static QueueKeys of(String prefix, String queue) {
		Assert.hasText(queue, "Queue name must not be empty");
		Assert.isTrue(queue.indexOf('{') < 0 && queue.indexOf('}') < 0,
				() -> "Queue name '" + queue + "' must not contain '{' or '}'");
		String base = prefix + ":{" + queue + "}:";
		return new QueueKeys(queue, base + "stream", base + "delayed", base + "delayed:jobs", base + "dead",
				base + "dead:jobs", base + "paused", base + "wake");
	}

	/**
	 * Sorted set of the dead jobs of one task, scored like {@link #dead()} by time of
	 * death; kept by the dead-letter scripts (their {@code deadTaskIndex}).
	 */
	public String deadByTask(String task) {
		return this.dead + ":task:" + task;
	}

	/** Hash holding a tracked job's state and result; expires (issue 5). */
	public String job(String jobId) {
		return base() + "job:" + jobId;
	}

	/** String holding the id of the job that owns a uniqueness key; expires. */
	public String unique(String uniqueKey) {
		return base() + "unique:" + uniqueKey;
	}

	/**
	 * String present while a job enqueued with an explicit id is queued, scheduled,
	 * retrying or running, and for {@link #ID_KEPT_AFTER_END} after it ended, so the id
	 * is not enqueued twice meanwhile (issue 16); expires.
	 */
	public String id(String jobId) {
		return base() + "id:" + jobId;
	}

	/**
	 * String recording which of a producer's enqueue calls on this queue were done, so a
	 * call sent again after a reconnect adds nothing (issue 16); expires a day after the
	 * producer's last call.
	 */
	public String sent(String producer) {
		return base() + "sent:" + producer;
	}

	/**
	 * Sorted set of the jobs running under a concurrency key, scored by when their lease
	 * expires.
	 */
	public String lease(String concurrencyKey) {
		return base() + "lease:" + concurrencyKey;
	}

	/** Sorted set of job ids whose cancellation was requested, scored by when. */
	public String cancelled() {
		return base() + "cancelled";
	}

	/**
	 * Hash of the tasks instances handle on this queue: task name to the server time
	 * (epoch millis) and consumer name of the last instance that said it handles it
	 * (issue 16); expires when no instance has written it for a day.
	 */
	public String handlers() {
		return base() + "handlers";
	}

	/** Pub/sub channel announcing the ids of tracked jobs that reached a final state. */
	public String doneChannel() {
		return base() + "done";
	}

	private String base() {
		return this.stream.substring(0, this.stream.length() - "stream".length());
	}

}
