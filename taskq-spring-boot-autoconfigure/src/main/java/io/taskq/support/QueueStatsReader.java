package io.taskq.support;

import java.util.List;

import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.QueueKeys;
import io.taskq.support.redis.StreamScripts;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reads {@link QueueStats} with one script call per queue.
 */
public class QueueStatsReader {

	private final StreamScripts streams;

	private final KeySpace keys;

	/** The most undelivered entries counted one by one where Redis has no lag figure. */
	private static final int LAG_COUNT_LIMIT = 1000;

	public QueueStatsReader(StringRedisTemplate redis, KeySpace keys) {
		this.streams = new StreamScripts(redis);
		this.keys = keys;
	}

	/**
	 * @throws org.springframework.dao.DataAccessException if Redis cannot be reached
	 */
	public QueueStats read(String queue) {
		QueueKeys queueKeys = this.keys.queue(queue);
		List<?> result = this.streams.stats(queueKeys, LAG_COUNT_LIMIT);
		long unfinished = ((Number) result.get(0)).longValue();
		long pending = ((Number) result.get(1)).longValue();
		String oldest = (String) result.get(4);
		long age = 0;
		if (!oldest.isEmpty()) {
			long readyAt = Long.parseLong(oldest.substring(0, oldest.indexOf('-')));
			age = Math.max(0, System.currentTimeMillis() - readyAt);
		}
		return new QueueStats(queue, unfinished, pending, ((Number) result.get(5)).longValue(),
				((Number) result.get(2)).longValue(), ((Number) result.get(3)).longValue(), age);
	}

}
