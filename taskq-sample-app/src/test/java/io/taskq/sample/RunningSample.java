package io.taskq.sample;

import io.taskq.testing.RedisServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * The sample application serving its dashboard on a test Redis, started once for all the
 * browser test classes of a run (it takes seconds, and its start-up jobs are what the
 * pages show) and stopped, with its Redis, when the run ends. Register it after the
 * {@code ChromiumExtension}: a test skipped for want of Chromium starts nothing.
 */
final class RunningSample implements BeforeEachCallback {

	private static final Namespace NAMESPACE = Namespace.create(RunningSample.class);

	private @Nullable Shared shared;

	@Override
	public void beforeEach(ExtensionContext context) {
		this.shared = context.getRoot()
			.getStore(NAMESPACE)
			.computeIfAbsent(Shared.class, (key) -> Shared.start(), Shared.class);
	}

	SampleDashboard dashboard() {
		return shared().dashboard();
	}

	RedisServer redis() {
		return shared().redis();
	}

	private Shared shared() {
		if (this.shared == null) {
			throw new IllegalStateException("The sample starts before each test: register RunningSample");
		}
		return this.shared;
	}

	/** Closed by JUnit with the root context's store, at the end of the run. */
	private record Shared(RedisServer redis, SampleDashboard dashboard) implements AutoCloseable {

		static Shared start() {
			RedisServer redis = RedisServer.start();
			SampleDashboard dashboard = null;
			try {
				dashboard = SampleDashboard.start(redis, "/taskq", false);
				dashboard.awaitStartupJobsSettled();
				return new Shared(redis, dashboard);
			}
			catch (RuntimeException ex) {
				if (dashboard != null) {
					dashboard.close();
				}
				redis.close();
				throw ex;
			}
		}

		@Override
		public void close() {
			try {
				this.dashboard.close();
			}
			finally {
				this.redis.close();
			}
		}

	}

}
