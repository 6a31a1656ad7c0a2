package io.taskq.retry;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pauses of a loop that tries Redis again: 100 ms, doubling, at most 5 s.
 */
class OutageBackoffTests {

	@Test
	void doublesFromTheFirstPauseUpToTheLongest() {
		assertThat(OutageBackoff.pauseAfter(1)).isEqualTo(Duration.ofMillis(100));
		assertThat(OutageBackoff.pauseAfter(2)).isEqualTo(Duration.ofMillis(200));
		assertThat(OutageBackoff.pauseAfter(6)).isEqualTo(Duration.ofMillis(3200));
		assertThat(OutageBackoff.pauseAfter(7)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void staysAtTheLongestPauseHoweverLongTheOutage() {
		assertThat(OutageBackoff.pauseAfter(64)).isEqualTo(Duration.ofSeconds(5));
		assertThat(OutageBackoff.pauseAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void treatsNoFailureYetAsTheFirst() {
		assertThat(OutageBackoff.pauseAfter(0)).isEqualTo(Duration.ofMillis(100));
	}

}
