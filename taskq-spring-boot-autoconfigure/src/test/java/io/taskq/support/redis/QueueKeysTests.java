package io.taskq.support.redis;

import java.util.List;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Semantic 10: every key of a queue hashes to one Cluster slot, so each script's keys do.
 */
class QueueKeysTests {

	@Test
	void everyKeyOfAQueueSharesOneClusterSlot() {
		for (String queue : List.of("default", "mail", "reports.daily", "a:b")) {
			QueueKeys keys = QueueKeys.of("taskq", queue);
			int slot = SlotHash.getSlot(keys.stream());
			assertThat(List.of(keys.delayed(), keys.delayedJobs(), keys.dead(), keys.deadJobs(), keys.paused(),
					keys.handlers()))
				.allSatisfy((key) -> assertThat(SlotHash.getSlot(key)).isEqualTo(slot));
		}
	}

	@Test
	void differentQueuesMaySpreadOverSlots() {
		assertThat(SlotHash.getSlot(QueueKeys.of("taskq", "mail").stream()))
			.isNotEqualTo(SlotHash.getSlot(QueueKeys.of("taskq", "default").stream()));
	}

	@Test
	void rejectsQueueNamesThatWouldBreakTheHashTag() {
		assertThatIllegalArgumentException().isThrownBy(() -> QueueKeys.of("taskq", "a{b}"));
	}

}
