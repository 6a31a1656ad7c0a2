package io.taskq.support.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Recurring schedules: claiming an occurrence and enqueueing its job, in one round trip.
 */
public final class RecurringScripts {

	private static final RedisScript<Long> FIRE = TaskqScript.load(RecurringScripts.class, "fire.lua", Long.class);

	private final StringRedisTemplate redis;

	public RecurringScripts(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * Claims an occurrence if no instance did, and enqueues its job (fire.lua).
	 * @param stateKey the schedule's state hash
	 * @param occurrenceMillis the occurrence (epoch millis)
	 * @param late whether it is older than the misfire threshold
	 * @param misfirePolicy the policy's wire value
	 * @param fields the job's fields, the id first
	 * @return the script's return code (see its header)
	 */
	public long fire(QueueKeys keys, String stateKey, long occurrenceMillis, boolean late, String misfirePolicy,
			Map<String, String> fields) {
		List<Object> args = new ArrayList<>(4 + fields.size() * 2);
		args.add(Long.toString(occurrenceMillis));
		args.add(late ? "1" : "0");
		args.add(misfirePolicy);
		args.add(QueueKeys.GROUP);
		fields.forEach((field, value) -> {
			args.add(field);
			args.add(value);
		});
		Long code = this.redis.execute(FIRE, List.of(stateKey, keys.stream()), args.toArray());
		return (code != null) ? code : 0;
	}

}
