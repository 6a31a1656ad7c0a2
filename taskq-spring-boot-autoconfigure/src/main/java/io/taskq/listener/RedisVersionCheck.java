package io.taskq.listener;

import java.util.Properties;

import io.taskq.retry.OutageBackoff;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Fails start-up on a Redis older than 6.2, the first with XPENDING ... IDLE (the reclaim
 * scan), which crash recovery needs. An unreachable server is not fatal: the listeners
 * wait for it.
 */
final class RedisVersionCheck {

	private static final Log logger = LogFactory.getLog(RedisVersionCheck.class);

	private RedisVersionCheck() {
	}

	static void verify(StringRedisTemplate redis) {
		Properties info;
		try {
			info = redis
				.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("server"));
		}
		catch (DataAccessException ex) {
			logger.warn("Could not read the Redis server version at start-up (" + OutageBackoff.describe(ex)
					+ "); listeners will start when Redis answers");
			return;
		}
		String version = (info != null) ? info.getProperty("redis_version") : null;
		if (version != null) {
			check(version);
		}
	}

	/**
	 * @throws IllegalStateException naming the version if it is older than 6.2
	 */
	static void check(String version) {
		if (!isSupported(version)) {
			throw new IllegalStateException(
					"taskq needs Redis 6.2 or later (for XPENDING ... IDLE), but the server is Redis " + version
							+ ". Upgrade Redis or point spring.data.redis.* at a newer server.");
		}
	}

	static boolean isSupported(String version) {
		String[] parts = version.split("\\.");
		try {
			int major = Integer.parseInt(parts[0]);
			int minor = (parts.length > 1) ? Integer.parseInt(parts[1]) : 0;
			return major > 6 || (major == 6 && minor >= 2);
		}
		catch (NumberFormatException ex) {
			// An unusual version string (a fork): let it try.
			return true;
		}
	}

}
