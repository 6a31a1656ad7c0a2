package io.taskq.support;

import java.util.LinkedHashMap;
import java.util.Map;

import io.taskq.JobId;
import io.taskq.support.redis.JobJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JobMessageTests {

	@Test
	void roundTripsThroughStreamFields() {
		JobMessage job = new JobMessage(JobId.of("j1"), "email.send", "{\"to\":\"a\"}", 2, 4, 1000L, 2000L,
				Map.of("tenant", "acme"));
		assertThat(JobMessage.fromFields(job.toFields())).isEqualTo(job);
	}

	@Test
	void leavesOptionalFieldsOut() {
		JobMessage job = new JobMessage(JobId.of("j1"), "t", null, 0, null, 1000L, 0L, Map.of());
		assertThat(job.toFields()).containsOnlyKeys("id", "task", "created");
		assertThat(JobMessage.fromFields(job.toFields())).isEqualTo(job);
	}

	@Test
	void roundTripsThroughTheJsonTheScriptsStore() {
		JobMessage job = new JobMessage(JobId.of("j1"), "t", "[1,2]", 1, null, 5L, 0L, Map.of("a", "b"));
		assertThat(JobMessage.fromFields(JobJson.readFields(JobJson.writeFields(job.toFields())))).isEqualTo(job);
	}

	/** Issue 16, point 15: the grace time of a job without a handler is not reset. */
	@Test
	void keepsWhenItWasFirstFoundWithoutAHandlerAcrossRetries() {
		JobMessage job = new JobMessage(JobId.of("j1"), "t", null, 0, null, 1000L, 0L, Map.of())
			.withUnhandledSince(1234L)
			.withRetries(1);
		assertThat(job.unhandledSince()).isEqualTo(1234L);
		assertThat(job.toFields()).containsEntry("unhandled", "1234");
		assertThat(JobMessage.fromFields(JobJson.readFields(JobJson.writeFields(job.toFields())))).isEqualTo(job);
	}

	@Test
	void rejectsEntriesThatAreNotJobs() {
		assertThatExceptionOfType(MalformedJobException.class)
			.isThrownBy(() -> JobMessage.fromFields(Map.of("hello", "world")));
		Map<String, String> badNumber = new LinkedHashMap<>(Map.of("id", "j", "task", "t", "retries", "x"));
		assertThatExceptionOfType(MalformedJobException.class).isThrownBy(() -> JobMessage.fromFields(badNumber))
			.withMessageContaining("job j");
	}

}
