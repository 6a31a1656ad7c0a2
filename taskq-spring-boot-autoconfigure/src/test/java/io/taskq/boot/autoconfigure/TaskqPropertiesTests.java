package io.taskq.boot.autoconfigure;

import io.taskq.delay.DelayedJobPromoter.PromoterOptions;
import io.taskq.listener.ListenerOptions;
import io.taskq.recurring.RecurringRuntime;
import io.taskq.retry.ErrorClassifier;
import io.taskq.retry.RetryPolicy;
import io.taskq.support.redis.KeySpace;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented property defaults are the runtime defaults.
 */
class TaskqPropertiesTests {

	private final TaskqProperties properties = new TaskqProperties();

	@Test
	void listenerDefaultsMatchRuntimeDefaults() {
		assertThat(this.properties.getConcurrency()).isEqualTo(ListenerOptions.DEFAULT_CONCURRENCY);
		assertThat(this.properties.getPollTimeout()).isEqualTo(ListenerOptions.DEFAULT_POLL_TIMEOUT);
		assertThat(this.properties.getVisibilityTimeout()).isEqualTo(ListenerOptions.DEFAULT_VISIBILITY_TIMEOUT);
		assertThat(this.properties.getShutdownTimeout()).isEqualTo(ListenerOptions.DEFAULT_SHUTDOWN_TIMEOUT);
		assertThat(this.properties.getKeyPrefix()).isEqualTo(KeySpace.DEFAULT_PREFIX);
		assertThat(this.properties.getListener().isEnabled()).isTrue();
		assertThat(this.properties.getSlowTaskThreshold()).isEqualTo(ListenerOptions.DEFAULT_SLOW_TASK_THRESHOLD);
		assertThat(this.properties.getConcurrencyWait()).isEqualTo(ListenerOptions.DEFAULT_CONCURRENCY_WAIT);
		assertThat(this.properties.getTracking().getTtl()).isEqualTo(ListenerOptions.DEFAULT_TRACKING_TTL);
		assertThat(this.properties.getUnhandledTaskGrace()).isEqualTo(ListenerOptions.DEFAULT_UNHANDLED_TASK_GRACE);
	}

	@Test
	void retryDefaultsMatchRuntimeDefaults() {
		assertThat(TaskqOptionsMapper.retryPolicy(this.properties.getRetry())).isEqualTo(RetryPolicy.DEFAULTS);
		assertThat(this.properties.getRetry().getNotRetryableExceptions()).isEmpty();
		assertThat(TaskqOptionsMapper.errorClassifier(this.properties.getRetry())).isSameAs(ErrorClassifier.defaults());
	}

	@Test
	void delayedDefaultsMatchRuntimeDefaults() {
		assertThat(TaskqOptionsMapper.promoterOptions(this.properties.getDelayed()))
			.isEqualTo(PromoterOptions.DEFAULTS);
	}

	@Test
	void recurringDefaultsMatchRuntimeDefaults() {
		assertThat(this.properties.getRecurring().getMisfireThreshold())
			.isEqualTo(RecurringRuntime.DEFAULT_MISFIRE_THRESHOLD);
		assertThat(this.properties.getRecurring().isEnabled()).isTrue();
	}

}
