package io.taskq.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskq.JobId;
import io.taskq.support.JacksonPayloadCodec;
import io.taskq.support.JobObserver;
import io.taskq.support.redis.KeySpace;
import io.taskq.support.redis.TaskqRedisTemplate;
import io.taskq.testing.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16, point 4: one enqueue call adds its job at most once, whatever the connection
 * does. Lettuce sends a written command again after a reconnect when its reply was lost;
 * these tests send the very same script call again (same script, keys and arguments) to
 * play that resend. The scripts recognised a resend only while the job was the stream's
 * last entry, so a resend after the job ran and was trimmed, or after another producer
 * wrote, added the job twice; and a second enqueue of an explicit id still queued was
 * dropped silently yet counted as enqueued.
 */
class RedisJobClientEnqueueIntegrationTests {

	private static final String STREAM = "taskq:{default}:stream";

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final AtomicInteger enqueued = new AtomicInteger();

	private LettuceConnectionFactory connectionFactory;

	private RecordingTemplate template;

	private RedisJobClient jobs;

	@BeforeEach
	void startClient() {
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.template = new RecordingTemplate(this.connectionFactory);
		this.jobs = client(this.connectionFactory, this.template);
	}

	@AfterEach
	void stopClient() {
		this.jobs.close();
		this.connectionFactory.destroy();
	}

	@Test
	void resentEnqueueAfterTheJobRanAndWasTrimmedAddsNothing() {
		JobId id = this.jobs.enqueue("record", "x");
		ScriptCall call = this.template.lastCall();
		runAndTrim();
		this.template.resend(call);
		assertThat(entriesOf(id)).isZero();
		assertThat(redis.server().command("XLEN", STREAM)).isEqualTo("0");
	}

	@Test
	void resentEnqueueAfterAnotherProducerWroteAddsNothing() {
		JobId first = this.jobs.enqueue("record", "x");
		ScriptCall call = this.template.lastCall();
		RecordingTemplate otherTemplate = new RecordingTemplate(this.connectionFactory);
		try (RedisJobClient other = client(this.connectionFactory, otherTemplate)) {
			other.enqueue("record", "y");
		}
		this.template.resend(call);
		assertThat(entriesOf(first)).isEqualTo(1);
		assertThat(redis.server().command("XLEN", STREAM)).isEqualTo("2");
	}

	@Test
	void callsReachingRedisOutOfOrderAreEachAddedOnce() {
		// Threads sharing one connection may write their calls in another order than
		// they numbered them.
		this.template.holding = true;
		List<JobId> ids = List.of(this.jobs.enqueue("record", "a"), this.jobs.enqueue("record", "b"),
				this.jobs.enqueue("record", "c"));
		this.template.holding = false;
		List<ScriptCall> calls = this.template.calls;
		for (int i : new int[] { 2, 0, 1, 0, 2, 1 }) {
			this.template.resend(calls.get(i));
		}
		assertThat(ids).allSatisfy((id) -> assertThat(entriesOf(id)).isEqualTo(1));
		assertThat(redis.server().command("XLEN", STREAM)).isEqualTo("3");
	}

	@Test
	void resentBatchAfterItsJobsRanAndWereTrimmedAddsNothing() {
		List<JobId> ids = this.jobs.enqueueAll(List.of(JobRequest.of("record", "a"), JobRequest.of("record", "b")));
		ScriptCall call = this.template.lastCall();
		runAndTrim();
		this.template.resend(call);
		assertThat(entriesOf(ids.get(0)) + entriesOf(ids.get(1))).isZero();
	}

	@Test
	void resentTrackedEnqueueAfterTheJobRanAndWasTrimmedAddsNothing() {
		JobId id = this.jobs.submit(JobRequest.of("record", "x").withTracking());
		ScriptCall call = this.template.lastCall();
		runAndTrim();
		this.template.resend(call);
		assertThat(entriesOf(id)).isZero();
	}

	@Test
	void secondEnqueueOfAnExplicitIdStillQueuedIsReportedAndNotCounted() {
		JobId id = JobId.of("invoice-42");
		JobRequest request = JobRequest.of("record", "x").withJobId(id);
		assertThat(this.jobs.submit(request)).isEqualTo(id);
		ScriptCall call = this.template.lastCall();
		assertThatThrownBy(() -> this.jobs.submit(request)).isInstanceOf(JobAlreadyEnqueuedException.class)
			.hasMessageContaining("invoice-42")
			.hasMessageContaining("already queued")
			.satisfies((ex) -> assertThat(((JobAlreadyEnqueuedException) ex).getJobIds()).containsExactly(id));
		assertThat(this.enqueued).hasValue(1);
		assertThat(entriesOf(id)).isEqualTo(1);
		// A resend of the first call is no second enqueue: nothing added, nothing
		// reported.
		assertThat(this.template.resend(call)).isEqualTo(List.of("resent", id.value()));
		assertThat(entriesOf(id)).isEqualTo(1);
	}

	@Test
	void bulkEnqueueAddsTheOtherJobsAndReportsExplicitIdsAlreadyQueued() {
		JobId queued = this.jobs.submit(JobRequest.of("record", "x").withJobId(JobId.of("order-1")));
		assertThatThrownBy(() -> this.jobs
			.enqueueAll(List.of(JobRequest.of("record", "a"), JobRequest.of("record", "x").withJobId(queued),
					JobRequest.of("record", "b").withJobId(JobId.of("order-2")))))
			.isInstanceOf(JobAlreadyEnqueuedException.class)
			.hasMessageContaining("order-1")
			.hasMessageContaining("the other 2 jobs of the call were enqueued");
		assertThat(redis.server().command("XLEN", STREAM)).isEqualTo("3");
		assertThat(this.enqueued).hasValue(3);
	}

	private RedisJobClient client(RedisConnectionFactory connectionFactory, RecordingTemplate template) {
		JobObserver observer = new JobObserver() {

			@Override
			public void enqueued(String queue, int jobs) {
				RedisJobClientEnqueueIntegrationTests.this.enqueued.addAndGet(jobs);
			}

		};
		return new RedisJobClient(connectionFactory, template, new KeySpace("taskq"),
				new JacksonPayloadCodec(JsonMapper.builder().build()), (task) -> null,
				new RedisJobClient.Settings("default", Duration.ofDays(1), Duration.ofDays(1), Duration.ofSeconds(1)),
				observer, CapacityGuard.NONE);
	}

	/** Plays a worker that ran every job and acknowledged them: the stream is trimmed. */
	private static void runAndTrim() {
		redis.server().command("XREADGROUP", "GROUP", "taskq", "worker", "COUNT", "100", "STREAMS", STREAM, ">");
		redis.server().command("XTRIM", STREAM, "MAXLEN", "0");
		assertThat(redis.server().command("XLEN", STREAM)).isEqualTo("0");
	}

	private static long entriesOf(JobId id) {
		return Arrays.stream(redis.server().command("XRANGE", STREAM, "-", "+").split("\n"))
			.filter(id.value()::equals)
			.count();
	}

	record ScriptCall(RedisScript<?> script, List<String> keys, Object[] args) {
	}

	/** Remembers every script call, so a test can send one again as Lettuce would. */
	static final class RecordingTemplate extends TaskqRedisTemplate {

		final List<ScriptCall> calls = new CopyOnWriteArrayList<>();

		/** Whether calls are only recorded, to be sent later by the test. */
		volatile boolean holding;

		RecordingTemplate(RedisConnectionFactory connectionFactory) {
			super(connectionFactory);
			afterPropertiesSet();
		}

		@Override
		public <T> T execute(RedisScript<T> script, List<String> keys, Object... args) {
			this.calls.add(new ScriptCall(script, keys, args));
			return this.holding ? null : super.execute(script, keys, args);
		}

		ScriptCall lastCall() {
			return this.calls.get(this.calls.size() - 1);
		}

		Object resend(ScriptCall call) {
			return super.execute(call.script(), call.keys(), call.args());
		}

	}

}
