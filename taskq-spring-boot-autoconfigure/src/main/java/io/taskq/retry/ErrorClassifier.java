package io.taskq.retry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.taskq.NonRetryableJobException;
import io.taskq.support.MalformedJobException;
import io.taskq.support.PayloadReadException;

import org.springframework.util.Assert;

/**
 * Tells which failures are worth a retry: a job whose handler throws one of the
 * not-retryable exception types goes to the dead letters (or to a {@link JobRecoverer})
 * on its first failure, whatever its retry limit.
 * <p>
 * {@link NonRetryableJobException}, {@link PayloadReadException} and
 * {@link MalformedJobException} are always among them: they fail the same way every time.
 * Add types of your own with {@link #withNotRetryableExceptions}, or with the
 * {@code taskq.retry.not-retryable-exceptions} property.
 * <p>
 * A type matches its subclasses ({@link Class#isInstance}), and it matches anywhere in
 * the cause chain, as spring-kafka's {@code DefaultErrorHandler} classifies: a
 * {@code NonRetryableJobException} wrapped by a proxy or a framework still means "never
 * again". Immutable, so one instance is shared by every container.
 */
public final class ErrorClassifier {

	/** How far down a cause chain the classifier looks; real chains are short. */
	private static final int MAX_CAUSES = 16;

	private static final List<Class<? extends Throwable>> BUILT_IN = List.of(NonRetryableJobException.class,
			PayloadReadException.class, MalformedJobException.class);

	private static final ErrorClassifier DEFAULTS = new ErrorClassifier(BUILT_IN);

	private final List<Class<? extends Throwable>> notRetryable;

	private ErrorClassifier(List<Class<? extends Throwable>> notRetryable) {
		this.notRetryable = notRetryable;
	}

	/** The classifier with the built-in not-retryable types only. */
	public static ErrorClassifier defaults() {
		return DEFAULTS;
	}

	/**
	 * A classifier that also never retries the given types (and their subclasses).
	 * @param types exception types that fail the same way every time
	 * @return a new classifier; this one is unchanged
	 */
	@SafeVarargs
	public final ErrorClassifier withNotRetryableExceptions(Class<? extends Throwable>... types) {
		return withNotRetryableExceptions(Arrays.asList(types));
	}

	/**
	 * A classifier that also never retries the given types (and their subclasses).
	 * @param types exception types that fail the same way every time
	 * @return a new classifier; this one is unchanged
	 */
	public ErrorClassifier withNotRetryableExceptions(Collection<? extends Class<? extends Throwable>> types) {
		Set<Class<? extends Throwable>> all = new LinkedHashSet<>(this.notRetryable);
		for (Class<? extends Throwable> type : types) {
			Assert.notNull(type, "Not-retryable exception types must not be null");
			// Checked at run time too: a type bound from a property name escapes the
			// compiler's check.
			Assert.isTrue(Throwable.class.isAssignableFrom(type),
					() -> type.getName() + " is not an exception type; list Throwable subclasses only");
			all.add(type);
		}
		return (all.size() == this.notRetryable.size()) ? this : new ErrorClassifier(List.copyOf(all));
	}

	/** The types never retried, the built-in ones first. */
	public List<Class<? extends Throwable>> notRetryableExceptions() {
		return this.notRetryable;
	}

	/**
	 * Whether a job that failed with this error may run again (if its retry limit
	 * allows).
	 * @return {@code false} if the error or one of its causes is of a not-retryable type
	 */
	public boolean isRetryable(Throwable error) {
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		Throwable current = error;
		while (current != null && seen.size() < MAX_CAUSES && seen.add(current)) {
			if (isNotRetryableType(current)) {
				return false;
			}
			current = current.getCause();
		}
		return true;
	}

	private boolean isNotRetryableType(Throwable error) {
		for (Class<? extends Throwable> type : this.notRetryable) {
			if (type.isInstance(error)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		List<String> names = new ArrayList<>(this.notRetryable.size());
		this.notRetryable.forEach((type) -> names.add(type.getName()));
		return "ErrorClassifier[not retryable: " + String.join(", ", names) + "]";
	}

}
