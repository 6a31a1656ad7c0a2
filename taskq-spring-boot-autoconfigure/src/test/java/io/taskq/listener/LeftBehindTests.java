package io.taskq.listener;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entries an ack left for a later trim: kept only while they lie after the oldest
 * pending entry, due for deletion after {@link LeftBehind#DELAY_NANOS}.
 */
class LeftBehindTests {

	private static final long DELAY = LeftBehind.DELAY_NANOS;

	private final LeftBehind left = new LeftBehind();

	@Test
	void keepsTheAcknowledgedEntriesAfterTheOldestPendingOne() {
		this.left.acknowledged(List.of("5-0", "10-3", "10-10", "2-0"), "10-4", 0);
		assertThat(this.left.all(10)).containsExactly("10-10");
	}

	@Test
	void dropsWhatALaterTrimRemoved() {
		this.left.acknowledged(List.of("20-0", "30-0", "40-0"), "10-0", 0);
		this.left.acknowledged(List.of("10-0"), "35-0", 1);
		assertThat(this.left.all(10)).containsExactly("40-0");
		this.left.acknowledged(List.of("35-0", "41-0"), "", 2);
		assertThat(this.left.isEmpty()).isTrue();
	}

	@Test
	void aTrimWithNothingPendingReachesEveryEntryLeft() {
		this.left.acknowledged(List.of("20-0", "30-0"), "10-0", 0);
		this.left.acknowledged(List.of("10-0"), "", 1);
		assertThat(this.left.isEmpty()).isTrue();
	}

	@Test
	void aCallThatAcknowledgedNothingMayHaveLeftAll() {
		this.left.acknowledged(List.of("20-0", "30-0"), "-", 0);
		assertThat(this.left.all(10)).containsExactly("20-0", "30-0");
	}

	@Test
	void entriesFallDueOneDelayAfterTheyWereLeft() {
		this.left.acknowledged(List.of("20-0"), "10-0", 0);
		this.left.acknowledged(List.of("30-0", "40-0"), "10-0", 50);
		assertThat(this.left.due(DELAY - 1, 10)).isEmpty();
		assertThat(this.left.nanosUntilDue(DELAY - 1)).isEqualTo(1);
		assertThat(this.left.due(DELAY, 10)).containsExactly("20-0");
		assertThat(this.left.due(DELAY + 50, 10)).containsExactly("20-0", "30-0", "40-0");
		assertThat(this.left.due(DELAY + 50, 2)).containsExactly("20-0", "30-0");
		this.left.deleted(2);
		assertThat(this.left.all(10)).containsExactly("40-0");
		this.left.deleted(1);
		assertThat(this.left.nanosUntilDue(0)).isEqualTo(Long.MAX_VALUE);
	}

}
