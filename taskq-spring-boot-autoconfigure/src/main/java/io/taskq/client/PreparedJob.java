package io.taskq.client;

import io.taskq.JobId;
import io.taskq.support.JobMessage;
import io.taskq.support.redis.QueueKeys;

/**
 * A job ready to be sent: its queue's keys, its message and what the scripts need beside.
 *
 * @param keys the queue's keys
 * @param message the job as it travels
 * @param ready whether it goes to the stream now rather than to the delayed set
 * @param runAt its due time (epoch millis), 0 for now
 * @param lockMillis how long its uniqueness lock lives, 0 for a job that is not unique
 * @param idRecordMillis how long its id record lives at most, 0 for a generated id
 */
record PreparedJob(QueueKeys keys, JobMessage message, boolean ready, long runAt, long lockMillis,
		long idRecordMillis) {

	JobId id() {
		return this.message.id();
	}

	boolean explicitId() {
		return this.idRecordMillis > 0;
	}

	/** Whether enqueueing writes more than the job: a lock, a state or an id record. */
	boolean controlled() {
		return this.message.controls().tracked() || this.message.controls().uniqueKey() != null
				|| this.message.controls().idRecorded();
	}

}
