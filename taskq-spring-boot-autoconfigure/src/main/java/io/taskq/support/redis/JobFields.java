package io.taskq.support.redis;

/**
 * The fields of a job on the wire: a stream entry's field names, also the keys of the
 * JSON kept for delayed jobs. Scripts read some of them by these names (the header of
 * each script says which); optional ones are left out of an entry to keep it small.
 */
public final class JobFields {

	/** The job id. */
	public static final String ID = "id";

	/** The task, which names the handler. */
	public static final String TASK = "task";

	/** The payload as JSON; absent for none. */
	public static final String PAYLOAD = "payload";

	/** The retries already scheduled; absent for 0. */
	public static final String RETRIES = "retries";

	/** The job's own retry limit; absent to use the handler's. */
	public static final String MAX_RETRIES = "max";

	/** When the job was enqueued (epoch millis). */
	public static final String CREATED = "created";

	/** When a delayed job was due (epoch millis); absent for a ready job. */
	public static final String DUE = "due";

	/** When an instance first found the job without a handler (epoch millis). */
	public static final String UNHANDLED = "unhandled";

	/** Prefix of the fields that carry the job's headers. */
	public static final String HEADER_PREFIX = "h.";

	/** The run's timeout in millis. */
	public static final String TIMEOUT = "to";

	/** {@code 1} when the job's state is recorded. */
	public static final String TRACKED = "tr";

	/** The job's uniqueness key. */
	public static final String UNIQUE_KEY = "uq";

	/** {@code 1} when the uniqueness lock goes when the job starts. */
	public static final String UNIQUE_UNTIL_STARTED = "uu";

	/** The job's concurrency key. */
	public static final String CONCURRENCY_KEY = "ck";

	/** The job's own limit for its concurrency key. */
	public static final String CONCURRENCY_LIMIT = "cl";

	/** {@code 1} when the job's explicit id holds an id record. */
	public static final String ID_RECORDED = "ir";

	private JobFields() {
	}

}
