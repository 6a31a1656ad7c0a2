package io.taskq.support.redis;

import java.lang.reflect.Proxy;
import java.util.List;

import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TaskqRedisTemplate} on a real Redis: callbacks get the connection itself, and
 * scripts and commands run through it call after call on the one shared connection.
 */
class TaskqRedisTemplateIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private LettuceConnectionFactory connectionFactory;

	@BeforeEach
	void connect() {
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
	}

	@AfterEach
	void disconnect() {
		this.connectionFactory.destroy();
	}

	@Test
	void handsCallbacksTheConnectionRatherThanAProxy() {
		RedisConnection exposed = new TaskqRedisTemplate(this.connectionFactory)
			.execute((RedisCallback<RedisConnection>) (connection) -> connection);
		RedisConnection proxied = new StringRedisTemplate(this.connectionFactory)
			.execute((RedisCallback<RedisConnection>) (connection) -> connection);
		assertThat(Proxy.isProxyClass(exposed.getClass())).isFalse();
		assertThat(Proxy.isProxyClass(proxied.getClass())).isTrue();
	}

	@Test
	void runsScriptsAndCommandsCallAfterCall() {
		TaskqRedisTemplate template = new TaskqRedisTemplate(this.connectionFactory);
		RedisScript<Long> push = RedisScript.of("return redis.call('RPUSH', KEYS[1], ARGV[1])", Long.class);
		for (int i = 1; i <= 1000; i++) {
			assertThat(template.execute(push, List.of("calls"), Integer.toString(i))).isEqualTo(i);
		}
		assertThat(template.opsForList().range("calls", -2, -1)).containsExactly("999", "1000");
		assertThat(redis.server().command("CLIENT", "LIST").toString().lines().count()).isLessThanOrEqualTo(2);
	}

}
