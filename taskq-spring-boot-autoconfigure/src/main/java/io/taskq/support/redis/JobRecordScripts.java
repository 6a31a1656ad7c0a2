package io.taskq.support.redis;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * What taskq records about a job beside its entry: its state, its uniqueness lock, its
 * concurrency lease, its id record, a cancellation request. One round trip each.
 */
@SuppressWarnings("rawtypes")
public final class JobRecordScripts {

	private static final RedisScript<Long> SETTLE = TaskqScript.load(JobRecordScripts.class, "settle.lua", Long.class);

	private static final RedisScript<List> CANCEL = TaskqScript.load(JobRecordScripts.class, "cancel.lua", List.class);

	private static final RedisScript<Long> UNLOCK = TaskqScript.load(JobRecordScripts.class, "unlock.lua", Long.class);

	private final StringRedisTemplate redis;

	public JobRecordScripts(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * Records a tracked job's start or end, releasing what it held, and acknowledges its
	 * entry when it ended (settle.lua).
	 */
	public void settle(QueueKeys keys, Settlement settlement) {
		String jobId = settlement.jobId();
		String uniqueKey = settlement.uniqueKey();
		String leaseKey = settlement.leaseKey();
		this.redis.execute(SETTLE,
				List.of(keys.stream(), keys.job(jobId), keys.unique((uniqueKey != null) ? uniqueKey : ""),
						keys.lease((leaseKey != null) ? leaseKey : ""), keys.id(jobId)),
				QueueKeys.GROUP, orEmpty(settlement.entryId()), jobId, orEmpty(settlement.state()),
				Integer.toString(settlement.attempt()), orEmpty(settlement.result()), orEmpty(settlement.error()),
				Long.toString(settlement.ttlMillis()), (settlement.releaseLock() && uniqueKey != null) ? "1" : "0",
				(settlement.releaseLease() && leaseKey != null) ? "1" : "0",
				settlement.finalState() ? keys.doneChannel() : "",
				(settlement.dueAt() != null) ? settlement.dueAt().toString() : "",
				Long.toString(System.currentTimeMillis()),
				(settlement.idKeptMillis() > 0) ? Long.toString(settlement.idKeptMillis()) : "",
				settlement.consumerName());
	}

	/**
	 * Cancels a job: removes it if it waits for its due time, else records the request
	 * and announces it (cancel.lua).
	 * @return whether it was removed, then the removed job's fields as JSON ('' if none)
	 */
	public List<?> cancel(QueueKeys keys, String jobId, long retentionMillis) {
		return this.redis.execute(CANCEL,
				List.of(keys.delayed(), keys.delayedJobs(), keys.cancelled(), keys.job(jobId)), jobId,
				Long.toString(System.currentTimeMillis()), Long.toString(retentionMillis), keys.wakeChannel(),
				keys.doneChannel());
	}

	/** Releases a uniqueness lock if this job holds it (unlock.lua). */
	public void unlock(QueueKeys keys, String uniqueKey, String jobId) {
		this.redis.execute(UNLOCK, List.of(keys.unique(uniqueKey)), jobId);
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	/**
	 * A tracked job's start or end, for {@link #settle}.
	 *
	 * @param consumerName the consumer that ran the job
	 * @param entryId the entry to acknowledge and delete, or {@code null} for none
	 * @param jobId the job id
	 * @param state the state to record (its wire name), or {@code null} to record none
	 * @param finalState whether that state is final: it is announced
	 * @param attempt the attempt
	 * @param result the handler's result as JSON, or {@code null}
	 * @param error the error of a failed attempt, or {@code null}
	 * @param ttlMillis how long the state record lives
	 * @param uniqueKey the job's uniqueness key, or {@code null}
	 * @param releaseLock whether to release the uniqueness lock
	 * @param leaseKey the job's concurrency key, or {@code null}
	 * @param releaseLease whether to release the concurrency lease
	 * @param dueAt when a retrying job runs again, or {@code null}
	 * @param idKeptMillis how long the id record stays now, 0 to leave it
	 */
	public record Settlement(String consumerName, @Nullable String entryId, String jobId, @Nullable String state,
			boolean finalState, int attempt, @Nullable String result, @Nullable String error, long ttlMillis,
			@Nullable String uniqueKey, boolean releaseLock, @Nullable String leaseKey, boolean releaseLease,
			@Nullable Long dueAt, long idKeptMillis) {
	}

}
