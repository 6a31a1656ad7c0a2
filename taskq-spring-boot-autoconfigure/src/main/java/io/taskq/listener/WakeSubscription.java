package io.taskq.listener;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

import io.taskq.delay.DelayedJobPromoter;
import io.taskq.retry.OutageBackoff;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * One pub/sub subscription to the channels of every queue this instance runs: announced
 * due times wake the queue's {@link DelayedJobPromoter}, {@code pause} and {@code resume}
 * reach its listener container.
 * <p>
 * Subscribing is retried in the background while Redis is down, since an application must
 * start without Redis; until then promoters still run every {@code maxInterval}. Once
 * subscribed, Lettuce reconnects and resubscribes by itself after later outages.
 */
final class WakeSubscription {

	private static final Log logger = LogFactory.getLog(WakeSubscription.class);

	private final RedisConnectionFactory connectionFactory;

	private final Map<String, Consumer<String>> handlersByChannel;

	private final Runnable onSubscribed;

	private final byte[][] channels;

	private final Thread thread;

	private volatile @Nullable Throwable lastFailure;

	private volatile boolean running;

	private volatile @Nullable RedisConnection connection;

	/**
	 * @param handlersByChannel what to do with each channel's messages
	 * @param onSubscribed run after each successful subscription, to catch up on messages
	 * sent before it
	 */
	WakeSubscription(RedisConnectionFactory connectionFactory, Map<String, Consumer<String>> handlersByChannel,
			Runnable onSubscribed) {
		this.connectionFactory = connectionFactory;
		this.handlersByChannel = Map.copyOf(handlersByChannel);
		this.onSubscribed = onSubscribed;
		this.channels = this.handlersByChannel.keySet()
			.stream()
			.map((channel) -> channel.getBytes(StandardCharsets.UTF_8))
			.toArray(byte[][]::new);
		this.thread = new Thread(this::retrySubscribe, "taskq-wake-subscription");
		this.thread.setDaemon(true);
	}

	/**
	 * Subscribes, retrying in the background if Redis does not answer now. Returns once
	 * subscribed (or once the first try failed), so no wake-up sent after start is
	 * missed.
	 */
	void start() {
		this.running = true;
		if (!trySubscribe()) {
			this.thread.start();
		}
	}

	void stop() {
		this.running = false;
		this.thread.interrupt();
		RedisConnection connection = this.connection;
		this.connection = null;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not close the wake-up subscription", ex);
			}
		}
	}

	private boolean trySubscribe() {
		RedisConnection connection = null;
		try {
			connection = this.connectionFactory.getConnection();
			this.connection = connection;
			// Returns at once with Lettuce; blocks until unsubscribed with a blocking
			// client.
			connection.subscribe(this::onMessage, this.channels);
			if (!this.running) {
				closeQuietly(connection);
				return true;
			}
			// Whatever was announced before the subscription existed reached nobody.
			this.onSubscribed.run();
			return true;
		}
		catch (RuntimeException ex) {
			closeQuietly(connection);
			this.lastFailure = ex;
			return false;
		}
	}

	private void retrySubscribe() {
		int failures = 1;
		logger.warn("Subscribing to delayed-job wake-ups failed, retrying until Redis answers: "
				+ describe(this.lastFailure));
		while (this.running) {
			try {
				Thread.sleep(OutageBackoff.pauseAfter(failures).toMillis());
			}
			catch (InterruptedException interrupted) {
				return;
			}
			if (trySubscribe()) {
				logger.info("Subscribed to delayed-job wake-ups after " + failures + " failed tries");
				return;
			}
			failures++;
		}
	}

	private static String describe(@Nullable Throwable ex) {
		return (ex != null) ? String.valueOf(ex.getMessage()) : "";
	}

	private void onMessage(Message message, byte @Nullable [] pattern) {
		Consumer<String> handler = this.handlersByChannel.get(new String(message.getChannel(), StandardCharsets.UTF_8));
		if (handler != null) {
			try {
				handler.accept(new String(message.getBody(), StandardCharsets.UTF_8).trim());
			}
			catch (RuntimeException ex) {
				logger.debug("Ignored a malformed message on a taskq channel", ex);
			}
		}
	}

	private static void closeQuietly(@Nullable RedisConnection connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				// Broken already.
			}
		}
	}

}
