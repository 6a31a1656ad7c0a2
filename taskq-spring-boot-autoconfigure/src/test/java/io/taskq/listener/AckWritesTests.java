package io.taskq.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.taskq.JobId;
import io.taskq.support.JobMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which entries of a batch go in the ack call, which are written as tracked, and what
 * becomes of the entries an ack left for a later trim.
 */
class AckWritesTests {

	/**
	 * Every call in order: {@code ack [ids] [deletes]} or {@code tracked <type> <id>}.
	 */
	private final List<String> calls = new ArrayList<>();

	private String answer = "";

	private @Nullable RuntimeException trackedFailure;

	private final AckWrites acks = new AckWrites("q", (ids, deletes) -> {
		this.calls.add("ack " + ids + " " + deletes);
		return this.answer;
	}, (outcome) -> {
		this.calls.add("tracked " + outcome.getClass().getSimpleName() + " " + outcome.entryId());
		if (this.trackedFailure != null) {
			throw this.trackedFailure;
		}
	});

	@Test
	void plainEndsGoInOneCallAndTrackedOnesOneByOneInBatchOrder() {
		this.acks.write(List.of(new Outcome.Done("1-0"), new Outcome.Started("2-0", tracking()),
				new Outcome.Done("2-0", tracking(), "result"), new Outcome.Cancelled("3-0", null), retry("4-0"),
				new Outcome.Abandoned("5-0"), new Outcome.Cancelled("6-0", tracking())), false);
		assertThat(this.calls).containsExactly("ack [1-0, 3-0] []", "tracked Started 2-0", "tracked Done 2-0",
				"tracked Cancelled 6-0");
	}

	@Test
	void aBatchWithoutPlainEndsMakesNoAckCall() {
		this.acks.write(List.of(retry("1-0"), new Outcome.Abandoned("2-0")), false);
		assertThat(this.calls).isEmpty();
	}

	@Test
	void aTrackedEndRedisRejectsIsAcknowledgedWithoutItsState() {
		this.trackedFailure = new RedisSystemException("WRONGTYPE", null);
		this.acks.write(List.of(new Outcome.Done("1-0"), new Outcome.Started("2-0", tracking()),
				new Outcome.Done("2-0", tracking(), null), new Outcome.Cancelled("3-0", tracking())), false);
		assertThat(this.calls).containsExactly("ack [1-0] []", "tracked Started 2-0", "tracked Done 2-0",
				"tracked Cancelled 3-0", "ack [2-0, 3-0] []");
	}

	@Test
	void aTrackedEndRedisDidNotAnswerFailsTheBatch() {
		this.trackedFailure = new QueryTimeoutException("Redis command timed out");
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> this.acks.write(List.of(new Outcome.Done("2-0", tracking(), null)), false));
		assertThat(this.calls).containsExactly("tracked Done 2-0");
	}

	@Test
	void entriesLeftAreDeletedOnlyOnceDueWhileRunningAndAtOnceWhenStopping() {
		this.answer = "1-0";
		this.acks.write(List.of(new Outcome.Done("2-0"), new Outcome.Done("3-0")), false);
		assertThat(this.acks.hasLeftBehind()).isTrue();
		assertThat(this.acks.nanosUntilLeftDue(System.nanoTime())).isPositive();
		this.acks.write(List.of(new Outcome.Done("4-0")), false);
		this.acks.write(List.of(), true);
		assertThat(this.calls).containsExactly("ack [2-0, 3-0] []", "ack [4-0] []", "ack [] [2-0, 3-0, 4-0]");
		assertThat(this.acks.hasLeftBehind()).isFalse();
	}

	@Test
	void entriesATrimReachedAreNotDeleted() {
		this.answer = "3-0";
		this.acks.write(List.of(new Outcome.Done("2-0"), new Outcome.Done("4-0")), false);
		this.acks.write(List.of(), true);
		assertThat(this.calls).containsExactly("ack [2-0, 4-0] []", "ack [] [4-0]");
	}

	private static Outcome retry(String entryId) {
		JobMessage job = new JobMessage(JobId.of("job-" + entryId), "t", null, 1, null, 0, 0, Map.of());
		return new Outcome.Retry(entryId, job, 0, null, "IllegalStateException");
	}

	private static Tracking tracking() {
		return new Tracking("j", "t", 1, true, null, false, null, false);
	}

}
