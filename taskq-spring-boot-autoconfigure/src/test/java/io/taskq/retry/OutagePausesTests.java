package io.taskq.retry;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pauses of a loop that tries Redis again: 100 ms, doubling, at most 5 s.
 */
class OutagePausesTests {

	@Test
	void doublesFromTheFirstPauseUpToTheLongest() {
		assertThat(OutagePauses.after(1)).isEqualTo(Duration.ofMillis(100));
		assertThat(OutagePauses.after(2)).isEqualTo(Duration.ofMillis(200));
		assertThat(OutagePauses.after(6)).isEqualTo(Duration.ofMillis(3200));
		assertThat(OutagePauses.after(7)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void staysAtTheLongestPauseHoweverLongTheOutage() {
		assertThat(OutagePauses.after(64)).isEqualTo(Duration.ofSeconds(5));
		assertThat(OutagePauses.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void treatsNoFailureYetAsTheFirst() {
		assertThat(OutagePauses.after(0)).isEqualTo(Duration.ofMillis(100));
	}

}
