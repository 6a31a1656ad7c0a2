package io.taskq.support.redis;

/**
 * The keys and hash fields of the fleet-wide figures and the instance heartbeat. Every
 * key shares one hash tag ({@code taskq:{fleet}:...}), so the report script that writes
 * them touches one Cluster slot.
 * <p>
 * A figures hash holds, per bucket of time, one field per task and metric
 * ({@code t<SEP>queue<SEP>task<SEP>metric}) and per queue and wait metric
 * ({@code w<SEP>queue<SEP>metric}), {@code SEP} being the unit separator U+001F, which
 * queue and task names do not contain.
 */
public final class FleetKeys {

	/** Separates the parts of a figures field. */
	public static final char SEPARATOR = '\u001f';

	/** Field kind: a task's run figures. */
	public static final String TASK = "t";

	/** Field kind: a queue's enqueue-to-start wait figures. */
	public static final String WAIT = "w";

	/** Metric: how many (runs, or waits). */
	public static final String COUNT = "n";

	/** Metric: how many runs failed. */
	public static final String FAILED = "f";

	/** Metric: the sum of durations, in microseconds. */
	public static final String SUM = "s";

	/** Metric: the longest duration, in microseconds. */
	public static final String MAX = "x";

	/** Metric prefix: a histogram bucket's count, followed by the bucket's index. */
	public static final String BUCKET = "h";

	private final String base;

	public FleetKeys(String prefix) {
		this.base = prefix + ":{fleet}:";
	}

	/** The figures of one minute ({@code epochMillis / 60,000}). */
	public String minute(long epochMinute) {
		return this.base + "m:" + epochMinute;
	}

	/** The figures of ten minutes ({@code epochMillis / 600,000}). */
	public String tenMinutes(long epochTenMinutes) {
		return this.base + "d:" + epochTenMinutes;
	}

	/**
	 * Sorted set of instance ids, scored by their last heartbeat (server epoch millis).
	 */
	public String instances() {
		return this.base + "instances";
	}

	/** String holding one instance's description (JSON); expires unless renewed. */
	public String instance(String id) {
		return this.base + "instance:" + id;
	}

	/** List of a task's recent slow runs (JSON, newest first); expires. */
	public String slowRuns(String queue, String task) {
		return this.base + "slow:" + queue + SEPARATOR + task;
	}

	public static String taskField(String queue, String task, String metric) {
		return TASK + SEPARATOR + queue + SEPARATOR + task + SEPARATOR + metric;
	}

	public static String waitField(String queue, String metric) {
		return WAIT + SEPARATOR + queue + SEPARATOR + metric;
	}

}
