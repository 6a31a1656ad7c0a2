package io.taskq.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean method as the handler of a task. The method takes at most one payload
 * parameter (read from JSON with Jackson) and optionally a {@link io.taskq.JobContext}.
 * Every attribute accepts {@code ${...}} placeholders.
 *
 * <pre class="code">
 * &#64;TaskHandler("email.send")
 * void send(EmailRequest request, JobContext context) { ... }
 * </pre>
 * <p>
 * A method returning a {@link java.util.concurrent.CompletionStage} is asynchronous: the
 * job runs until the stage completes, failing if it completes exceptionally. The method
 * is invoked on the fetcher thread of its queue (as Spring Kafka invokes asynchronous
 * listeners on the consumer thread), so it must only start the work and return: blocking
 * work belongs inside the stage, on an executor of the application's. The job still holds
 * a slot of {@code taskq.concurrency} until then. A timeout or cancellation cancels the
 * stage (for a {@code CompletableFuture} returned as is, the handler's own). The stage's
 * value is the job's result; a {@code CompletionStage<Void>} or
 * {@code CompletionStage<?>} has none.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskHandler {

	/** Alias for {@link #task()}. */
	@AliasFor("task")
	String value() default "";

	/** The task name; unique in the application. */
	@AliasFor("value")
	String task() default "";

	/** The queue to listen on; empty for {@code taskq.default-queue}. */
	String queue() default "";

	/**
	 * Retries after the first failed attempt before the job is dead-lettered; empty for
	 * {@code taskq.retry.max-retries}. A job enqueued with its own limit overrides it.
	 */
	String maxRetries() default "";

	/**
	 * How long a run may take before it is logged as slow, as a duration ({@code 500ms},
	 * {@code 2s}, ISO-8601); empty for {@code taskq.slow-task-threshold}.
	 */
	String slowThreshold() default "";

	/**
	 * How long a run may take before its handler is interrupted and the run counts as a
	 * failed attempt (retried per policy), as a duration; empty for no limit. A job
	 * enqueued with its own timeout overrides it.
	 */
	String timeout() default "";

	/**
	 * Whether every job of this task has its state recorded for status lookups and
	 * completion waits ({@code true}/{@code false}); empty means only when the method
	 * returns a value (kept as the job's result; for an asynchronous handler, a stage of
	 * a type other than {@code Void}, {@code Object} or {@code ?}) or the job asks for
	 * tracking.
	 */
	String track() default "";

	/**
	 * The most jobs of this task that run at once across all instances, per concurrency
	 * key when jobs carry one ({@code JobRequest.withConcurrencyKey}); empty or 0 for no
	 * limit. Jobs over the limit wait and try again; they do not fail.
	 */
	String concurrencyLimit() default "";

	/**
	 * Makes the task recurring: a Spring cron expression (six fields, seconds first, e.g.
	 * {@code 0 0 6 * * MON-FRI}) at whose every match one job is enqueued, however many
	 * instances run. The method then takes no payload (a {@code JobContext} at most).
	 * Give {@code cron} or {@link #every()}, not both.
	 */
	String cron() default "";

	/**
	 * The time zone id of {@link #cron()} (e.g. {@code Europe/Paris}); empty for UTC, so
	 * instances in different zones agree.
	 */
	String zone() default "";

	/**
	 * Makes the task recurring at a fixed interval, as a duration ({@code 30s},
	 * {@code PT5M}; at least 1s). Occurrences are multiples of the interval since the
	 * epoch, the same on every instance.
	 */
	String every() default "";

	/**
	 * What happens to occurrences no instance fired in time: {@code skip} (the default)
	 * or {@code run-once} (one job for all of them when an instance can).
	 */
	String misfire() default "";

}
