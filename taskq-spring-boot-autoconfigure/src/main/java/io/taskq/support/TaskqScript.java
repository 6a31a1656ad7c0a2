package io.taskq.support;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Loads a Lua script that lives as a {@code .lua} resource next to the class that runs
 * it. Spring Data Redis sends it with EVALSHA and falls back to EVAL once when the server
 * does not know it yet (after a restart or SCRIPT FLUSH).
 */
public final class TaskqScript {

	private TaskqScript() {
	}

	public static <T> RedisScript<T> load(Class<?> owner, String name, Class<T> resultType) {
		DefaultRedisScript<T> script = new DefaultRedisScript<>();
		script.setLocation(new ClassPathResource(name, owner));
		script.setResultType(resultType);
		// Reads the file once now, so a missing script fails at start-up, not on first
		// use.
		script.getSha1();
		return script;
	}

}
