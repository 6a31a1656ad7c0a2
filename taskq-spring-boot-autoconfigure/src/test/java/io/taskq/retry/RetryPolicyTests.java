package io.taskq.retry;

import java.time.Duration;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTests {

	@Test
	void backoffGrowsExponentiallyUpToTheMaximum() {
		RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(1), 4.0, Duration.ofMinutes(1), Duration.ZERO);
		assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(4));
		assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(16));
		assertThat(policy.backoff(4)).isEqualTo(Duration.ofMinutes(1));
		assertThat(policy.backoff(30)).isEqualTo(Duration.ofMinutes(1));
	}

	@RepeatedTest(20)
	void jitterStaysWithinItsBounds() {
		RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(2), 2.0, Duration.ofHours(1),
				Duration.ofMillis(500));
		assertThat(policy.backoff(2).toMillis()).isBetween(3500L, 4500L);
		RetryPolicy small = new RetryPolicy(3, Duration.ofMillis(100), 2.0, Duration.ofHours(1), Duration.ofSeconds(1));
		assertThat(small.backoff(1)).isGreaterThanOrEqualTo(Duration.ZERO);
	}

	@Test
	void jitterSpreadsRetries() {
		RetryPolicy policy = RetryPolicy.DEFAULTS;
		long distinct = java.util.stream.IntStream.range(0, 50)
			.mapToLong((i) -> policy.backoff(1).toMillis())
			.distinct()
			.count();
		assertThat(distinct).isGreaterThan(10);
	}

}
