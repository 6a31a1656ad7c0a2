package io.taskq.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.taskq.recurring.IntervalSchedule;
import io.taskq.recurring.MisfirePolicy;
import io.taskq.recurring.OccurrenceEnqueuer;
import io.taskq.recurring.RecurringJob;
import io.taskq.recurring.RecurringJobRegistry;
import io.taskq.support.redis.KeySpace;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time advanced in steps fires every occurrence once, however much real time passes
 * between the steps.
 */
class RecurringFastForwardTests {

	private final List<Instant> fired = new CopyOnWriteArrayList<>();

	/**
	 * Pins a bug: each step started from the clock plus the time advanced, so the
	 * occurrences of the real time that passed between two steps were never fired.
	 */
	@Test
	void stepsApartInRealTimeLeaveNoOccurrenceOut() throws InterruptedException {
		RecurringJobRegistry registry = new RecurringJobRegistry();
		registry.register(
				new RecurringJob("tick", "default", new IntervalSchedule(Duration.ofSeconds(1)), MisfirePolicy.SKIP));
		RecurringFastForward fastForward = new RecurringFastForward(registry, new RecordingEnqueuer(this.fired));
		fastForward.advance(Duration.ofSeconds(10));
		// Real time passes between the steps, as it does between a test's calls.
		Thread.sleep(2100);
		fastForward.advance(Duration.ofSeconds(10));
		assertThat(this.fired).hasSizeGreaterThanOrEqualTo(22);
		for (int i = 1; i < this.fired.size(); i++) {
			assertThat(Duration.between(this.fired.get(i - 1), this.fired.get(i))).isEqualTo(Duration.ofSeconds(1));
		}
	}

	@Test
	void resetGoesBackToTheClock() {
		RecurringJobRegistry registry = new RecurringJobRegistry();
		registry.register(
				new RecurringJob("tick", "default", new IntervalSchedule(Duration.ofSeconds(1)), MisfirePolicy.SKIP));
		RecurringFastForward fastForward = new RecurringFastForward(registry, new RecordingEnqueuer(this.fired));
		fastForward.advance(Duration.ofMinutes(10));
		fastForward.reset();
		this.fired.clear();
		Instant before = Instant.now();
		fastForward.advance(Duration.ofSeconds(3));
		assertThat(this.fired).hasSize(3)
			.allSatisfy(
					(occurrence) -> assertThat(occurrence).isAfter(before).isBeforeOrEqualTo(before.plusSeconds(4)));
	}

	/** Records what would be fired, with no Redis. */
	static class RecordingEnqueuer extends OccurrenceEnqueuer {

		private final List<Instant> fired;

		RecordingEnqueuer(List<Instant> fired) {
			super(new StringRedisTemplate(), new KeySpace(KeySpace.DEFAULT_PREFIX));
			this.fired = fired;
		}

		@Override
		public FireResult fire(RecurringJob job, Instant occurrence, boolean late) {
			this.fired.add(occurrence);
			return FireResult.ENQUEUED;
		}

	}

}
