package io.taskq.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one {@link RedisServer} for a test class, empties it before each test, and
 * always stops it. Register it on a static field with {@code @RegisterExtension}.
 */
public final class RedisServerExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

	private final String[] arguments;

	private RedisServer server;

	public RedisServerExtension(String... arguments) {
		this.arguments = arguments;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.server = RedisServer.start(this.arguments);
	}

	/** Every test starts from an empty Redis, whatever the one before it left. */
	@Override
	public void beforeEach(ExtensionContext context) {
		flushAll();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.server != null) {
			this.server.close();
		}
	}

	public RedisServer server() {
		return this.server;
	}

	public int port() {
		return this.server.port();
	}

	/** Removes every key, for a test that needs an empty Redis again part way. */
	public void flushAll() {
		this.server.command("FLUSHALL");
	}

}
