package io.taskq.support.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Loads a Lua script that lives as a {@code .lua} resource next to the class that runs
 * it. Spring Data Redis sends it with EVALSHA and falls back to EVAL once when the server
 * does not know it yet (after a restart or SCRIPT FLUSH).
 */
public final class TaskqScript {

	private TaskqScript() {
	}

	/** The shared pieces every script starts with (prelude.lua). */
	private static final String PRELUDE = read(new ClassPathResource("prelude.lua", TaskqScript.class));

	/**
	 * Reads the script once, so a missing script fails at start-up rather than on first
	 * use, and so running it never looks at the resource again: a script built on a
	 * resource checks the resource's modification time on every call. The shared prelude
	 * goes first, then the script's own preludes.
	 * @param preludes scripts next to the owner that define functions the script uses,
	 * put before it, so scripts share a piece rather than copy it
	 */
	public static <T> RedisScript<T> load(Class<?> owner, String name, Class<T> resultType, String... preludes) {
		StringBuilder text = new StringBuilder(PRELUDE);
		for (String prelude : preludes) {
			text.append(read(new ClassPathResource(prelude, owner))).append('\n');
		}
		return RedisScript.of(text.append(read(new ClassPathResource(name, owner))).toString(), resultType);
	}

	private static String read(ClassPathResource resource) {
		try {
			return resource.getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read Lua script " + resource, ex);
		}
	}

}
