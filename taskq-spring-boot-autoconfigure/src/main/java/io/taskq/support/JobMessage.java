package io.taskq.support;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.taskq.JobId;
import io.taskq.support.redis.JobFields;
import org.jspecify.annotations.Nullable;

/**
 * A job as it travels through Redis: the fields of a stream entry, or the same fields as
 * a JSON object in the delayed and dead-letter hashes (the promotion script XADDs them
 * back verbatim). Every value is a string so Lua's cjson round-trips it unchanged.
 *
 * @param id the job id
 * @param task the task name
 * @param payload the payload as JSON, {@code null} for a job without payload
 * @param retries how many times the job has already been retried (0 on first run)
 * @param maxRetries a per-job override of the retry limit, {@code null} for the handler's
 * @param createdAt when the job was first enqueued, epoch millis
 * @param dueAt when a delayed job was due, epoch millis, 0 for a job enqueued ready
 * @param headers user headers
 * @param controls optional controls: timeout, tracking, uniqueness, concurrency key
 * @param unhandledSince when an instance first fetched the job without having its handler
 * (epoch millis, that instance's clock), 0 while none has: kept across the job's
 * deferrals, so its grace time runs from then (issue 16)
 */
public record JobMessage(JobId id, String task, @Nullable String payload, int retries, @Nullable Integer maxRetries,
		long createdAt, long dueAt, Map<String, String> headers, JobControls controls, long unhandledSince) {

	public JobMessage {
		headers = (headers.isEmpty()) ? Collections.emptyMap() : Collections.unmodifiableMap(headers);
	}

	/** A job no instance has yet found without a handler. */
	public JobMessage(JobId id, String task, @Nullable String payload, int retries, @Nullable Integer maxRetries,
			long createdAt, long dueAt, Map<String, String> headers, JobControls controls) {
		this(id, task, payload, retries, maxRetries, createdAt, dueAt, headers, controls, 0);
	}

	/** A job without controls. */
	public JobMessage(JobId id, String task, @Nullable String payload, int retries, @Nullable Integer maxRetries,
			long createdAt, long dueAt, Map<String, String> headers) {
		this(id, task, payload, retries, maxRetries, createdAt, dueAt, headers, JobControls.NONE);
	}

	/**
	 * The fields of the stream entry; optional ones are left out to keep entries small.
	 */
	public Map<String, String> toFields() {
		Map<String, String> fields = new LinkedHashMap<>(8 + this.headers.size());
		fields.put(JobFields.ID, this.id.value());
		fields.put(JobFields.TASK, this.task);
		if (this.payload != null) {
			fields.put(JobFields.PAYLOAD, this.payload);
		}
		if (this.retries > 0) {
			fields.put(JobFields.RETRIES, Integer.toString(this.retries));
		}
		if (this.maxRetries != null) {
			fields.put(JobFields.MAX_RETRIES, this.maxRetries.toString());
		}
		fields.put(JobFields.CREATED, Long.toString(this.createdAt));
		if (this.dueAt > 0) {
			fields.put(JobFields.DUE, Long.toString(this.dueAt));
		}
		this.controls.writeTo(fields);
		if (this.unhandledSince > 0) {
			fields.put(JobFields.UNHANDLED, Long.toString(this.unhandledSince));
		}
		this.headers.forEach((name, value) -> fields.put(JobFields.HEADER_PREFIX + name, value));
		return fields;
	}

	/**
	 * Decodes stream entry fields.
	 * @throws MalformedJobException if a required field is missing or a number is not one
	 */
	public static JobMessage fromFields(Map<String, String> fields) {
		String id = fields.get(JobFields.ID);
		String task = fields.get(JobFields.TASK);
		if (id == null || id.isEmpty() || task == null) {
			throw new MalformedJobException("entry has no job id or task: fields " + fields.keySet());
		}
		try {
			Map<String, String> headers = Collections.emptyMap();
			for (Map.Entry<String, String> field : fields.entrySet()) {
				if (field.getKey().startsWith(JobFields.HEADER_PREFIX)) {
					if (headers.isEmpty()) {
						headers = new LinkedHashMap<>();
					}
					headers.put(field.getKey().substring(JobFields.HEADER_PREFIX.length()), field.getValue());
				}
			}
			String maxRetries = fields.get(JobFields.MAX_RETRIES);
			return new JobMessage(JobId.of(id), task, fields.get(JobFields.PAYLOAD),
					parseInt(fields.get(JobFields.RETRIES)), (maxRetries != null) ? Integer.valueOf(maxRetries) : null,
					parseLong(fields.get(JobFields.CREATED)), parseLong(fields.get(JobFields.DUE)), headers,
					JobControls.readFrom(fields), parseLong(fields.get(JobFields.UNHANDLED)));
		}
		catch (NumberFormatException ex) {
			throw new MalformedJobException("job " + id + " has a malformed number field: " + ex.getMessage());
		}
	}

	public JobMessage withRetries(int retries) {
		return new JobMessage(this.id, this.task, this.payload, retries, this.maxRetries, this.createdAt, this.dueAt,
				this.headers, this.controls, this.unhandledSince);
	}

	/** The job as first found without a handler at the given time (epoch millis). */
	public JobMessage withUnhandledSince(long unhandledSince) {
		return new JobMessage(this.id, this.task, this.payload, this.retries, this.maxRetries, this.createdAt,
				this.dueAt, this.headers, this.controls, unhandledSince);
	}

	private static int parseInt(@Nullable String value) {
		return (value != null) ? Integer.parseInt(value) : 0;
	}

	private static long parseLong(@Nullable String value) {
		return (value != null) ? Long.parseLong(value) : 0L;
	}

}
