package io.taskq.delay;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * One pub/sub subscription to the wake channels of every queue this instance promotes,
 * handing each announced due time to that queue's {@link DelayedJobPromoter}.
 * <p>
 * Subscribing is retried in the background while Redis is down, since an application must
 * start without Redis; until then promoters still run every {@code maxInterval}. Once
 * subscribed, Lettuce reconnects and resubscribes by itself after later outages.
 */
public class WakeSubscription {

	private static final Log logger = LogFactory.getLog(WakeSubscription.class);

	private static final long FIRST_PAUSE_MILLIS = 200;

	private static final long MAX_PAUSE_MILLIS = 5000;

	private final RedisConnectionFactory connectionFactory;

	private final Map<String, DelayedJobPromoter> promotersByChannel;

	private final byte[][] channels;

	private final Thread thread;

	private volatile @Nullable Throwable lastFailure;

	private volatile boolean running;

	private volatile @Nullable RedisConnection connection;

	public WakeSubscription(RedisConnectionFactory connectionFactory,
			Map<String, DelayedJobPromoter> promotersByChannel) {
		this.connectionFactory = connectionFactory;
		this.promotersByChannel = Map.copyOf(promotersByChannel);
		this.channels = this.promotersByChannel.keySet()
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
	public void start() {
		this.running = true;
		if (!trySubscribe()) {
			this.thread.start();
		}
	}

	public void stop() {
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
			// Jobs scheduled before the subscription existed announced themselves to
			// nobody.
			this.promotersByChannel.values().forEach((promoter) -> promoter.wake(0));
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
				Thread.sleep(Math.min(MAX_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(failures, 10)));
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
		DelayedJobPromoter promoter = this.promotersByChannel
			.get(new String(message.getChannel(), StandardCharsets.UTF_8));
		if (promoter == null) {
			return;
		}
		try {
			promoter.wake(Long.parseLong(new String(message.getBody(), StandardCharsets.US_ASCII).trim()));
		}
		catch (NumberFormatException ex) {
			logger.debug("Ignored a malformed wake-up on " + promoter);
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
