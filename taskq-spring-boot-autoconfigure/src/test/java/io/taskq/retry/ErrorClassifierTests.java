package io.taskq.retry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import io.taskq.NonRetryableJobException;
import io.taskq.support.MalformedJobException;
import io.taskq.support.PayloadReadException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Which failures are retried: the built-in types never are, user types are added, and a
 * type matches its subclasses and anywhere in the cause chain.
 */
class ErrorClassifierTests {

	@Test
	void builtInTypesAreNeverRetried() {
		ErrorClassifier classifier = ErrorClassifier.defaults();
		assertThat(classifier.isRetryable(new NonRetryableJobException("no"))).isFalse();
		assertThat(classifier.isRetryable(new PayloadReadException("Order", "bad", new IOException()))).isFalse();
		assertThat(classifier.isRetryable(new MalformedJobException("not a job"))).isFalse();
		assertThat(classifier.isRetryable(new IllegalStateException("transient"))).isTrue();
		assertThat(classifier.isRetryable(new OutOfMemoryError())).isTrue();
	}

	@Test
	void userTypesAreAddedToTheBuiltInOnes() {
		ErrorClassifier classifier = ErrorClassifier.defaults()
			.withNotRetryableExceptions(IllegalArgumentException.class, UnsupportedOperationException.class);
		assertThat(classifier.isRetryable(new IllegalArgumentException())).isFalse();
		assertThat(classifier.isRetryable(new UnsupportedOperationException())).isFalse();
		assertThat(classifier.isRetryable(new NonRetryableJobException("no"))).isFalse();
		assertThat(classifier.isRetryable(new IllegalStateException())).isTrue();
		assertThat(classifier.notRetryableExceptions()).containsExactly(NonRetryableJobException.class,
				PayloadReadException.class, MalformedJobException.class, IllegalArgumentException.class,
				UnsupportedOperationException.class);
	}

	@Test
	void isImmutable() {
		ErrorClassifier defaults = ErrorClassifier.defaults();
		ErrorClassifier extended = defaults.withNotRetryableExceptions(List.of(IllegalArgumentException.class));
		assertThat(extended).isNotSameAs(defaults);
		assertThat(defaults.isRetryable(new IllegalArgumentException())).isTrue();
		assertThat(defaults.notRetryableExceptions()).hasSize(3);
		assertThat(defaults.withNotRetryableExceptions(List.of())).isSameAs(defaults);
		assertThat(defaults.withNotRetryableExceptions(NonRetryableJobException.class)).isSameAs(defaults);
	}

	@Test
	void aTypeMatchesItsSubclasses() {
		ErrorClassifier classifier = ErrorClassifier.defaults().withNotRetryableExceptions(RuntimeException.class);
		assertThat(classifier.isRetryable(new NumberFormatException())).isFalse();
		assertThat(classifier.isRetryable(new IOException())).isTrue();
	}

	@Test
	void aTypeMatchesAnywhereInTheCauseChain() {
		ErrorClassifier classifier = ErrorClassifier.defaults().withNotRetryableExceptions(IOException.class);
		Exception wrapped = new IllegalStateException("proxy", new RuntimeException(new IOException("gone")));
		assertThat(classifier.isRetryable(wrapped)).isFalse();
		assertThat(classifier.isRetryable(new UncheckedIOException(new IOException()))).isFalse();
		assertThat(ErrorClassifier.defaults()
			.isRetryable(new IllegalStateException(new NonRetryableJobException("wrapped by a framework")))).isFalse();
		assertThat(classifier.isRetryable(new IllegalStateException(new IllegalArgumentException()))).isTrue();
	}

	@Test
	void aCyclicCauseChainEnds() {
		IllegalStateException first = new IllegalStateException();
		IllegalArgumentException second = new IllegalArgumentException(first);
		first.initCause(second);
		assertThat(ErrorClassifier.defaults().isRetryable(first)).isTrue();
	}

	@Test
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void refusesTypesThatAreNotExceptions() {
		List types = List.of(String.class);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ErrorClassifier.defaults().withNotRetryableExceptions(types))
			.withMessageContaining("java.lang.String is not an exception type");
	}

}
