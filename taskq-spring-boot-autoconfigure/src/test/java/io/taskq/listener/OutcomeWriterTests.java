package io.taskq.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.taskq.JobId;
import io.taskq.support.JobMessage;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outcome writer's batching, deferral and stop, with its Redis writes replaced by
 * recordings: which ids go in which call, and when each job is let go.
 */
class OutcomeWriterTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final RecordedAcks acks = new RecordedAcks();

	private final RecordedFailures failures = new RecordedFailures();

	/** Entries let go, in order. */
	private final List<String> written = new CopyOnWriteArrayList<>();

	private final SteppedClock clock = new SteppedClock();

	private final OutcomeWriter writer = new OutcomeWriter("q", new AckWrites("q", this.acks, (outcome) -> {
	}), new FailureWrites("q", this.failures), this.written::add, this.clock);

	@AfterEach
	void stop() {
		this.acks.release();
		this.failures.release();
		this.writer.awaitStopped(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
	}

	@Test
	void outcomesSubmittedWhileAWriteIsInFlightGoTogetherInTheNextCall() {
		this.acks.holdFirstCall();
		this.writer.start();
		this.writer.submit(done("1-0"));
		waiting().until(() -> this.acks.calls().size() == 1);
		List.of("2-0", "3-0", "4-0", "5-0").forEach((id) -> this.writer.submit(done(id)));
		assertThat(this.written).isEmpty();
		this.acks.release();
		waiting().until(() -> this.written.size() == 5);
		assertThat(this.acks.calls()).containsExactly(List.of("1-0"), List.of("2-0", "3-0", "4-0", "5-0"));
		assertThat(this.written).containsExactly("1-0", "2-0", "3-0", "4-0", "5-0");
		assertThat(this.clock.parks).as("no gathering after jobs that finished alone").hasValue(0);
	}

	@Test
	void aBurstIsGatheredUntilTheBatchReachesTheTarget() {
		// 32 finish in each step of the gathering: four steps make the target.
		List<String> burst = startBurst(32);
		waiting().until(() -> this.acks.calls().size() == 2);
		assertThat(this.clock.parks).hasValue(4);
		List<String> expected = new ArrayList<>(List.of("9-0"));
		expected.addAll(burst.subList(0, 128));
		assertThat(this.acks.calls().get(1)).hasSize(OutcomeWriter.GATHER_TARGET + 1).isEqualTo(expected);
	}

	@Test
	void aBurstThatGoesOnIsGatheredForTheLimitOnly() {
		// Two finish in each step: enough to go on, far from the target.
		List<String> burst = startBurst(2);
		waiting().until(() -> this.acks.calls().size() == 2);
		assertThat(this.clock.parks).hasValue((int) (OutcomeWriter.GATHER_LIMIT_NANOS / OutcomeWriter.GATHER_NANOS));
		List<String> expected = new ArrayList<>(List.of("9-0"));
		expected.addAll(burst.subList(0, 10));
		assertThat(this.acks.calls().get(1)).isEqualTo(expected);
	}

	@Test
	void aSingleOutcomeAfterABurstIsHeldBackOneStepOnly() {
		startBurst(0);
		waiting().until(() -> this.acks.calls().size() == 2);
		assertThat(this.clock.parks).hasValue(1);
		assertThat(this.acks.calls().get(1)).containsExactly("9-0");
		assertThat(this.written).containsExactly("1-0", "1-1", "9-0");
	}

	@Test
	void gatheringEndsWhenTheBurstTricklesOut() {
		List<String> burst = startBurst(1);
		waiting().until(() -> this.acks.calls().size() == 2);
		assertThat(this.clock.parks).hasValue(1);
		assertThat(this.acks.calls().get(1)).containsExactly("9-0", burst.get(0));
	}

	@Test
	void aBatchHoldsAtMostMaxBatchOutcomes() {
		int count = 2 * OutcomeWriter.MAX_BATCH + 500;
		List<String> ids = IntStream.range(0, count).mapToObj((i) -> i + "-0").toList();
		ids.forEach((id) -> this.writer.submit(done(id)));
		this.writer.start();
		waiting().until(() -> this.written.size() == count);
		assertThat(this.acks.calls()).extracting(List::size)
			.containsExactly(OutcomeWriter.MAX_BATCH, OutcomeWriter.MAX_BATCH, 500);
		assertThat(this.acks.calls().stream().flatMap(List::stream).toList()).isEqualTo(ids);
		assertThat(this.written).isEqualTo(ids);
	}

	@Test
	void aFailureIsLetGoOnlyOnceItIsWritten() {
		this.failures.holdFirstCall();
		this.writer.submit(done("1-0"));
		this.writer.submit(retry("2-0"));
		this.writer.submit(done("3-0"));
		this.writer.start();
		waiting().until(() -> this.failures.attempts("2-0") == 1);
		assertThat(this.acks.calls()).containsExactly(List.of("1-0", "3-0"));
		assertThat(this.written).isEmpty();
		this.failures.release();
		waiting().until(() -> this.written.size() == 3);
		assertThat(this.written).containsExactly("2-0", "1-0", "3-0");
	}

	@Test
	void aRefusedFailureIsWrittenAgainAfterGrowingPausesWhileAcksGoOn() {
		this.failures.refusing.set(true);
		this.writer.start();
		this.writer.submit(retry("1-0"));
		waiting().until(() -> this.failures.attempts("1-0") >= 1);
		this.writer.submit(done("2-0"));
		this.writer.submit(done("3-0"));
		waiting().until(() -> this.written.size() == 2);
		assertThat(this.written).containsExactly("2-0", "3-0");
		waiting().until(() -> this.failures.attempts("1-0") >= 3);
		this.failures.refusing.set(false);
		waiting().until(() -> this.written.contains("1-0"));
		assertThat(this.written).containsExactly("2-0", "3-0", "1-0");
		List<Long> attempts = this.failures.attemptTimes("1-0");
		assertThat(attempts).hasSizeGreaterThanOrEqualTo(4);
		for (int i = 1; i < attempts.size(); i++) {
			long pauseMillis = Math.min(5000, 50L << Math.min(i, 10));
			assertThat(TimeUnit.NANOSECONDS.toMillis(attempts.get(i) - attempts.get(i - 1)))
				.as("pause before attempt %d", i + 1)
				.isGreaterThanOrEqualTo(pauseMillis - 10);
		}
	}

	@Test
	void aBatchGivenUpOnLetsEveryJobGo() {
		this.acks.failures.add(new IllegalStateException("not Redis"));
		// A tracked start is no outcome: nothing to let go of.
		this.writer.submit(new Outcome.Started("0-1", tracking()));
		this.writer.submit(done("1-0"));
		this.writer.submit(retry("2-0"));
		this.writer.submit(new Outcome.Cancelled("3-0", null));
		this.writer.submit(new Outcome.Abandoned("4-0"));
		this.writer.start();
		waiting().until(() -> this.written.size() == 4);
		assertThat(this.written).containsExactly("1-0", "2-0", "3-0", "4-0");
		assertThat(this.failures.attempts("2-0")).isZero();
		this.writer.submit(done("5-0"));
		waiting().until(() -> this.written.size() == 5);
		assertThat(this.acks.calls()).containsExactly(List.of("1-0", "3-0"), List.of("5-0"));
	}

	@Test
	void aBatchRedisDidNotAnswerIsWrittenAgainInFull() {
		this.acks.failures.add(new QueryTimeoutException("Redis command timed out"));
		this.writer.submit(done("1-0"));
		this.writer.submit(retry("2-0"));
		this.writer.submit(done("3-0"));
		this.writer.start();
		waiting().until(() -> this.written.size() == 3);
		assertThat(this.acks.calls()).containsExactly(List.of("1-0", "3-0"), List.of("1-0", "3-0"));
		assertThat(this.failures.attempts("2-0")).isOne();
		assertThat(this.written).containsExactly("2-0", "1-0", "3-0");
	}

	@Test
	void entriesAnAckLeftAreDeletedOnceDueWithoutAnotherOutcome() {
		this.acks.answer = "1-0";
		this.writer.submit(done("2-0"));
		this.writer.submit(done("3-0"));
		this.writer.start();
		waiting().until(() -> this.acks.calls().size() == 2);
		assertThat(this.acks.calls().get(1)).isEmpty();
		assertThat(this.acks.deletes()).containsExactly(List.of(), List.of("2-0", "3-0"));
		assertThat(this.acks.callTimes().get(1) - this.acks.callTimes().get(0))
			.isGreaterThanOrEqualTo(LeftBehind.DELAY_NANOS - TimeUnit.MILLISECONDS.toNanos(1));
	}

	@Test
	void stoppingDeletesEveryEntryAnAckLeftWithoutWaitingForThemToBeDue() {
		this.acks.answer = "1-0";
		this.writer.submit(done("2-0"));
		this.writer.submit(done("3-0"));
		this.writer.start();
		waiting().until(() -> this.acks.calls().size() == 1);
		this.writer.finish();
		this.writer.submit(done("4-0"));
		assertThat(this.writer.awaitStopped(System.nanoTime() + WAIT.toNanos())).isTrue();
		assertThat(this.acks.calls()).containsExactly(List.of("2-0", "3-0"), List.of("4-0"), List.of());
		assertThat(this.acks.deletes()).containsExactly(List.of(), List.of("2-0", "3-0"), List.of("4-0"));
	}

	@Test
	void stoppingWritesWhatIsQueuedFirst() {
		this.acks.holdFirstCall();
		this.writer.start();
		this.writer.submit(done("1-0"));
		waiting().until(() -> this.acks.calls().size() == 1);
		this.writer.submit(done("2-0"));
		this.writer.submit(retry("3-0"));
		this.writer.finish();
		this.acks.release();
		assertThat(this.writer.awaitStopped(System.nanoTime() + WAIT.toNanos())).isTrue();
		assertThat(this.acks.calls()).containsExactly(List.of("1-0"), List.of("2-0"));
		assertThat(this.written).containsExactly("1-0", "3-0", "2-0");
	}

	@Test
	void stoppingLeavesARefusedFailurePending() {
		this.failures.refusing.set(true);
		this.writer.start();
		this.writer.submit(retry("1-0"));
		this.writer.submit(done("2-0"));
		waiting().until(() -> this.written.size() == 1);
		assertThat(this.writer.awaitStopped(System.nanoTime() + WAIT.toNanos())).isTrue();
		assertThat(this.written).containsExactly("2-0");
	}

	@Test
	void awaitStoppedReturnsByTheDeadlineWhenAWriteBlocks() {
		this.acks.holdFirstCall();
		this.writer.start();
		this.writer.submit(done("1-0"));
		waiting().until(() -> this.acks.calls().size() == 1);
		long start = System.nanoTime();
		boolean stopped = this.writer.awaitStopped(start + TimeUnit.MILLISECONDS.toNanos(300));
		long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(stopped).isFalse();
		assertThat(took).isBetween(290L, 2000L);
		waiting().untilTrue(this.acks.interrupted);
		assertThat(this.writer.awaitStopped(System.nanoTime() + WAIT.toNanos())).as("writer ended").isTrue();
		// Neither written nor given up on: the job stays pending, reclaimed later.
		assertThat(this.written).isEmpty();
	}

	private static ConditionFactory waiting() {
		return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
	}

	/**
	 * Starts the writer with a batch of two, so that the next outcome, {@code 9-0}, is
	 * gathered with others, {@code perStep} of which finish in each step.
	 * @return the ids that finish during the gathering, in order
	 */
	private List<String> startBurst(int perStep) {
		this.writer.submit(done("1-0"));
		this.writer.submit(done("1-1"));
		this.writer.start();
		waiting().until(() -> this.written.size() == 2);
		List<String> burst = new CopyOnWriteArrayList<>();
		this.clock.onPark = () -> {
			for (int i = 0; i < perStep; i++) {
				String id = (100 + burst.size()) + "-0";
				burst.add(id);
				this.writer.submit(done(id));
			}
		};
		this.writer.submit(done("9-0"));
		return burst;
	}

	private static Outcome done(String entryId) {
		return new Outcome.Done(entryId);
	}

	private static Outcome retry(String entryId) {
		JobMessage job = new JobMessage(JobId.of("job-" + entryId), "t", null, 1, null, 0, 0, Map.of());
		return new Outcome.Retry(entryId, job, 0, null, "IllegalStateException");
	}

	private static Tracking tracking() {
		return new Tracking("j", "t", 1, true, null, false, null, false);
	}

	/** Records each ack call; can hold the first one, or fail calls. */
	static final class RecordedAcks implements AckWrites.AckScript {

		private final List<List<String>> calls = new CopyOnWriteArrayList<>();

		private final List<List<String>> deletes = new CopyOnWriteArrayList<>();

		private final List<Long> callTimes = new CopyOnWriteArrayList<>();

		final List<RuntimeException> failures = new CopyOnWriteArrayList<>();

		final AtomicBoolean interrupted = new AtomicBoolean();

		private final AtomicBoolean holdNext = new AtomicBoolean();

		private final CountDownLatch held = new CountDownLatch(1);

		volatile String answer = "";

		@Override
		public String run(List<String> acks, List<String> deletes) {
			this.calls.add(List.copyOf(acks));
			this.deletes.add(List.copyOf(deletes));
			this.callTimes.add(System.nanoTime());
			if (this.holdNext.getAndSet(false)) {
				awaitOrInterrupted(this.held, this.interrupted);
			}
			if (!this.failures.isEmpty()) {
				throw this.failures.remove(0);
			}
			return this.answer;
		}

		void holdFirstCall() {
			this.holdNext.set(true);
		}

		void release() {
			this.held.countDown();
		}

		List<List<String>> calls() {
			return this.calls;
		}

		List<List<String>> deletes() {
			return this.deletes;
		}

		List<Long> callTimes() {
			return this.callTimes;
		}

	}

	/** Records each failure write; can hold the first one, or refuse them. */
	static final class RecordedFailures implements FailureWrites.FailureWrite {

		private final Map<String, List<Long>> attempts = new ConcurrentHashMap<>();

		final AtomicBoolean refusing = new AtomicBoolean();

		private final AtomicBoolean holdNext = new AtomicBoolean();

		private final CountDownLatch held = new CountDownLatch(1);

		@Override
		public void write(Outcome failure) {
			this.attempts.computeIfAbsent(failure.entryId(), (id) -> new CopyOnWriteArrayList<>())
				.add(System.nanoTime());
			if (this.holdNext.getAndSet(false)) {
				awaitOrInterrupted(this.held, new AtomicBoolean());
			}
			if (this.refusing.get()) {
				throw new RedisSystemException("OOM command not allowed when used memory > 'maxmemory'", null);
			}
		}

		void holdFirstCall() {
			this.holdNext.set(true);
		}

		void release() {
			this.held.countDown();
		}

		int attempts(String entryId) {
			return attemptTimes(entryId).size();
		}

		List<Long> attemptTimes(String entryId) {
			return this.attempts.getOrDefault(entryId, List.of());
		}

	}

	/** Waits as a blocked Redis call would; interrupted, fails as the client's would. */
	private static void awaitOrInterrupted(CountDownLatch latch, AtomicBoolean interrupted) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			interrupted.set(true);
			Thread.currentThread().interrupt();
			throw new RedisSystemException("Command interrupted", ex);
		}
	}

	/** Gathering time that moves only as the writer parks, each park running a step. */
	static final class SteppedClock implements GatherClock {

		final AtomicInteger parks = new AtomicInteger();

		private volatile long now;

		volatile Runnable onPark = () -> {
		};

		@Override
		public long nanoTime() {
			return this.now;
		}

		@Override
		public void park(long nanos) {
			this.parks.incrementAndGet();
			this.now += nanos;
			this.onPark.run();
		}

	}

}
