package io.taskq.listener;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Semantic 10: 6.2 is the oldest supported Redis.
 */
class RedisVersionCheckTests {

	@Test
	void acceptsSixTwoAndLater() {
		assertThat(RedisVersionCheck.isSupported("6.2.0")).isTrue();
		assertThat(RedisVersionCheck.isSupported("7.0.15")).isTrue();
		assertThat(RedisVersionCheck.isSupported("8.2.1")).isTrue();
	}

	@Test
	void startUpFailsOnAnOlderServerNamingItsVersion() {
		assertThatIllegalStateException().isThrownBy(() -> RedisVersionCheck.check("6.0.16"))
			.withMessageContaining("needs Redis 6.2 or later")
			.withMessageContaining("Redis 6.0.16");
		assertThatNoException().isThrownBy(() -> RedisVersionCheck.check("6.2.14"));
	}

	@Test
	void rejectsOlderServers() {
		assertThat(RedisVersionCheck.isSupported("6.0.16")).isFalse();
		assertThat(RedisVersionCheck.isSupported("5.0.14")).isFalse();
	}

}
