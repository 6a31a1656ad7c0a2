package io.taskq.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.taskq.retry.RetryPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WorkerPoolTests {

	@Test
	void poolWithoutWeightsIsStrict() {
		WorkerPool pool = new WorkerPool("main", List.of("urgent", "bulk"), List.of(), 4);
		assertThat(pool.isWeighted()).isFalse();
		assertThat(pool.weight(0)).isEqualTo(1);
		assertThat(pool.weight(1)).isEqualTo(1);
	}

	@Test
	void poolWithWeightsIsWeighted() {
		WorkerPool pool = new WorkerPool("main", List.of("urgent", "bulk"), List.of(3, 1), 4);
		assertThat(pool.isWeighted()).isTrue();
		assertThat(pool.weight(0)).isEqualTo(3);
		assertThat(pool.weight(1)).isEqualTo(1);
	}

	@Test
	void weightsMustMatchTheQueuesAndBePositive() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WorkerPool("main", List.of("urgent", "bulk"), List.of(3), 4))
			.withMessageContaining("1 weights for 2 queues");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WorkerPool("main", List.of("urgent", "bulk"), List.of(3, 0), 4))
			.withMessageContaining("must be positive");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WorkerPool("main", List.of("urgent", "urgent"), List.of(), 4))
			.withMessageContaining("names a queue twice");
		assertThatIllegalArgumentException().isThrownBy(() -> new WorkerPool("main", List.of(), List.of(), 4))
			.withMessageContaining("at least one queue");
	}

	@Test
	void queueMayBeInOnePoolOnly() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> options(new WorkerPool("a", List.of("urgent", "bulk"), List.of(), 4),
					new WorkerPool("b", List.of("bulk"), List.of(), 4)))
			.withMessageContaining("Queue 'bulk' is in two pools, 'a' and 'b'");
	}

	@Test
	void poolsForServedQueuesKeepThePoolOrderAndGiveOtherQueuesAPoolOfTheirOwn() {
		ListenerOptions options = options(
				new WorkerPool("main", List.of("urgent", "normal", "bulk"), List.of(5, 3, 1), 6),
				new WorkerPool("unused", List.of("elsewhere"), List.of(), 2));
		List<WorkerPool> pools = options.poolsFor(List.of("bulk", "mail", "urgent"));
		assertThat(pools).containsExactly(new WorkerPool("main", List.of("urgent", "bulk"), List.of(5, 1), 6),
				new WorkerPool("mail", List.of("mail"), List.of(), 3));
	}

	private static ListenerOptions options(WorkerPool... pools) {
		return new ListenerOptions("me", 10, Map.of("mail", 3), Duration.ofSeconds(1), Duration.ofSeconds(60),
				Duration.ofSeconds(5),
				new RetryPolicy(3, Duration.ofSeconds(1), 2, Duration.ofMinutes(1), Duration.ZERO),
				Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofDays(1), Duration.ofHours(1), List.of(pools));
	}

}
