package io.taskq;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JobIdTests {

	@Test
	void generatedIdsAreUniqueUlids() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			String id = JobId.generate().value();
			assertThat(id).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}");
			ids.add(id);
		}
		assertThat(ids).hasSize(100_000);
	}

	@Test
	void generatedIdsSortByCreationTime() throws InterruptedException {
		JobId earlier = JobId.generate();
		Thread.sleep(2);
		JobId later = JobId.generate();
		assertThat(earlier).isLessThan(later);
	}

	@Test
	void rejectsEmptyIds() {
		assertThatIllegalArgumentException().isThrownBy(() -> JobId.of(""));
	}

}
