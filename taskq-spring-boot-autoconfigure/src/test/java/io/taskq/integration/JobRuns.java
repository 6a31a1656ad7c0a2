package io.taskq.integration;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.taskq.testing.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the kill tests count, read straight from Redis: the jobs a consumer holds
 * unacknowledged, and the jobs {@link WorkerMain} ran more than once.
 */
final class JobRuns {

	private static final String PENDING_JOB_IDS = """
			local ids = {}
			for _, pending in ipairs(redis.call('XPENDING', KEYS[1], 'taskq', '-', '+', 100000, ARGV[1])) do
				local entry = redis.call('XRANGE', KEYS[1], pending[1], pending[1])[1]
				for i = 1, #entry[2], 2 do
					if entry[2][i] == 'id' then
						ids[#ids + 1] = entry[2][i + 1]
					end
				end
			end
			return ids
			""";

	private JobRuns() {
	}

	/**
	 * The ids of the jobs of queue {@code default} delivered to {@code consumer} and not
	 * acknowledged: running, or finished with the acknowledgement not yet written.
	 */
	static Set<String> heldBy(RedisServer redis, String consumer) {
		String reply = redis.command("EVAL", PENDING_JOB_IDS, "1", "taskq:{default}:stream", consumer);
		assertThat(reply).doesNotStartWith("ERR:");
		return reply.isEmpty() ? Set.of() : Set.of(reply.split("\n"));
	}

	/** The jobs with more than one entry in {@code test:runs}, with their run counts. */
	static Map<String, Integer> ranMoreThanOnce(RedisServer redis) {
		Map<String, Integer> runs = new HashMap<>();
		for (String id : redis.command("LRANGE", "test:runs", "0", "-1").split("\n")) {
			runs.merge(id, 1, Integer::sum);
		}
		runs.values().removeIf((count) -> count == 1);
		return runs;
	}

}
