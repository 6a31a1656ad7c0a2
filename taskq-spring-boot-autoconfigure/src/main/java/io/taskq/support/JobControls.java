package io.taskq.support;

import java.util.Map;

import io.taskq.support.redis.JobFields;
import org.jspecify.annotations.Nullable;

/**
 * The optional controls a job travels with (issue 5). Each is one short stream field,
 * present only when set, so a plain job pays nothing for them.
 *
 * @param timeoutMillis how long a run may take before it is interrupted and counted as a
 * failure, 0 for the handler's own limit (or none)
 * @param tracked whether the job's state is recorded in Redis for {@code status} lookups
 * @param uniqueKey the uniqueness key whose lock this job holds, or {@code null}
 * @param uniqueUntilStarted whether the lock is released when the job starts rather than
 * when it finishes
 * @param concurrencyKey the key limiting how many such jobs run at once across all
 * instances, or {@code null} for the handler's (the task name when it sets a limit)
 * @param concurrencyLimit the most jobs with the key run at once, 0 for the handler's
 * @param idRecorded whether the job's id is explicit and holds an id record until the job
 * ends (issue 16)
 */
public record JobControls(long timeoutMillis, boolean tracked, @Nullable String uniqueKey, boolean uniqueUntilStarted,
		@Nullable String concurrencyKey, int concurrencyLimit, boolean idRecorded) {

	public static final JobControls NONE = new JobControls(0, false, null, false, null, 0, false);

	public JobControls withTracked(boolean tracked) {
		return new JobControls(this.timeoutMillis, tracked, this.uniqueKey, this.uniqueUntilStarted,
				this.concurrencyKey, this.concurrencyLimit, this.idRecorded);
	}

	void writeTo(Map<String, String> fields) {
		if (this.timeoutMillis > 0) {
			fields.put(JobFields.TIMEOUT, Long.toString(this.timeoutMillis));
		}
		if (this.tracked) {
			fields.put(JobFields.TRACKED, "1");
		}
		if (this.uniqueKey != null) {
			fields.put(JobFields.UNIQUE_KEY, this.uniqueKey);
			if (this.uniqueUntilStarted) {
				fields.put(JobFields.UNIQUE_UNTIL_STARTED, "1");
			}
		}
		if (this.concurrencyKey != null) {
			fields.put(JobFields.CONCURRENCY_KEY, this.concurrencyKey);
		}
		if (this.concurrencyLimit > 0) {
			fields.put(JobFields.CONCURRENCY_LIMIT, Integer.toString(this.concurrencyLimit));
		}
		if (this.idRecorded) {
			fields.put(JobFields.ID_RECORDED, "1");
		}
	}

	/**
	 * Whether a job's stream fields ask for a concurrency key or limit, which takes a
	 * Redis call before the job starts.
	 */
	public static boolean hasConcurrencyControl(Map<String, String> fields) {
		return fields.containsKey(JobFields.CONCURRENCY_KEY) || fields.containsKey(JobFields.CONCURRENCY_LIMIT);
	}

	static JobControls readFrom(Map<String, String> fields) {
		String timeout = fields.get(JobFields.TIMEOUT);
		String tracked = fields.get(JobFields.TRACKED);
		String uniqueKey = fields.get(JobFields.UNIQUE_KEY);
		String concurrencyKey = fields.get(JobFields.CONCURRENCY_KEY);
		String concurrencyLimit = fields.get(JobFields.CONCURRENCY_LIMIT);
		String idRecorded = fields.get(JobFields.ID_RECORDED);
		if (timeout == null && tracked == null && uniqueKey == null && concurrencyKey == null
				&& concurrencyLimit == null && idRecorded == null) {
			return NONE;
		}
		return new JobControls((timeout != null) ? Long.parseLong(timeout) : 0, "1".equals(tracked), uniqueKey,
				"1".equals(fields.get(JobFields.UNIQUE_UNTIL_STARTED)), concurrencyKey,
				(concurrencyLimit != null) ? Integer.parseInt(concurrencyLimit) : 0, "1".equals(idRecorded));
	}

}
