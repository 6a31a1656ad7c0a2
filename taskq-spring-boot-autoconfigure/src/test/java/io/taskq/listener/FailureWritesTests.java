package io.taskq.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.taskq.JobId;
import io.taskq.support.JobMessage;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failures set aside while Redis refused them are let go exactly once, whatever happens
 * when they are written again.
 */
class FailureWritesTests {

	/**
	 * Pins a bug: a failure whose second write failed with an error that is not Redis's
	 * (a bug, say) took the other failures set aside with it out of the deferred list,
	 * and they were never let go: held for ever, their claims renewed, never run again.
	 */
	@Test
	void aFailureThatCannotBeWrittenDoesNotStrandTheOthersSetAsideWithIt() {
		List<String> written = new ArrayList<>();
		boolean[] redisFull = { true };
		FailureWrites writes = new FailureWrites("q", (failure) -> {
			if (redisFull[0]) {
				throw new DataAccessResourceFailureException("OOM command not allowed");
			}
			if (failure.entryId().equals("1-0")) {
				throw new IllegalStateException("not Redis: cannot be helped by retrying");
			}
		});
		writes.write(List.of(retry("1-0"), retry("2-0")), written::add);
		assertThat(written).isEmpty();
		assertThat(writes.hasDeferred()).isTrue();

		redisFull[0] = false;
		await().until(() -> writes.millisUntilDeferredDue(System.currentTimeMillis()) <= 0);
		writes.write(List.of(), written::add);

		// The one that cannot be written is given up on (it stays pending in Redis and is
		// reclaimed), the other is written; neither is left held.
		assertThat(written).containsExactly("1-0", "2-0");
		assertThat(writes.hasDeferred()).isFalse();
	}

	private static Outcome retry(String entryId) {
		JobMessage job = new JobMessage(JobId.of("job-" + entryId), "task", null, 0, null, 0, 0, Map.of());
		return new Outcome.Retry(entryId, job, 0, null, "IllegalStateException");
	}

}
