package io.taskq.support.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A queue's stream and its consumer group: acknowledging, handing entries back, taking
 * over those of dead consumers, renewing claims, leaving the group, and the figures read
 * for gauges and health. Each method is one round trip.
 */
@SuppressWarnings("rawtypes")
public final class StreamScripts {

	private static final RedisScript<String> ACK = TaskqScript.load(StreamScripts.class, "ack.lua", String.class);

	private static final RedisScript<Long> REQUEUE = TaskqScript.load(StreamScripts.class, "requeue.lua", Long.class);

	private static final RedisScript<List> RECLAIM = TaskqScript.load(StreamScripts.class, "reclaim.lua", List.class);

	private static final RedisScript<List> TOUCH = TaskqScript.load(StreamScripts.class, "touch.lua", List.class);

	private static final RedisScript<Long> RELEASE = TaskqScript.load(StreamScripts.class, "release-consumer.lua",
			Long.class);

	private static final RedisScript<List> STATS = TaskqScript.load(StreamScripts.class, "queue-stats.lua", List.class);

	private final StringRedisTemplate redis;

	public StreamScripts(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** This instance as a consumer of taskq's group, for reads. */
	public static Consumer consumer(String consumerName) {
		return Consumer.from(QueueKeys.GROUP, consumerName);
	}

	/**
	 * Acknowledges finished entries and trims what is finished (ack.lua).
	 * @param acks entries to acknowledge
	 * @param deletes entries acknowledged earlier and left, to delete now
	 * @return the oldest entry still pending, {@code ""} if none, or {@code "-"} if the
	 * acknowledgements acknowledged nothing
	 */
	public String ack(QueueKeys keys, Collection<String> acks, Collection<String> deletes) {
		Object[] arguments = new Object[acks.size() + deletes.size() + 2];
		arguments[0] = QueueKeys.GROUP;
		arguments[1] = Integer.toString(acks.size());
		int i = 2;
		for (String id : acks) {
			arguments[i++] = id;
		}
		for (String id : deletes) {
			arguments[i++] = id;
		}
		return this.redis.execute(ACK, keys.streamKeys(), arguments);
	}

	/**
	 * Hands back entries a read returned that will not run here now: each goes back to
	 * the stream's tail, undelivered (requeue.lua).
	 */
	public void requeue(QueueKeys keys, String consumerName, Collection<String> entryIds) {
		List<Object> args = new ArrayList<>(entryIds.size() + 2);
		args.add(QueueKeys.GROUP);
		args.add(consumerName);
		args.addAll(entryIds);
		this.redis.execute(REQUEUE, keys.streamKeys(), args.toArray());
	}

	/**
	 * One step of the scan for entries of dead consumers (reclaim.lua).
	 * @param suspectsAllowed whether a suspect (delivered twice or more without
	 * finishing) may be taken in this step
	 * @param held entries this instance holds, never taken over
	 * @return the next cursor, then what the script returns (see its header)
	 */
	public List<?> reclaim(QueueKeys keys, String consumerName, long visibilityMillis, int permits, String cursor,
			boolean suspectsAllowed, Collection<String> held) {
		List<Object> args = new ArrayList<>(held.size() + 6);
		args.add(QueueKeys.GROUP);
		args.add(consumerName);
		args.add(Long.toString(visibilityMillis));
		args.add(Integer.toString(permits));
		args.add(cursor);
		args.add(suspectsAllowed ? "1" : "0");
		args.addAll(held);
		return this.redis.execute(RECLAIM, keys.streamKeys(), args.toArray());
	}

	/**
	 * Renews the claims of entries this consumer holds (touch.lua).
	 * @return the entries another consumer took over
	 */
	public List<?> touch(QueueKeys keys, String consumerName, Collection<String> entryIds) {
		List<Object> args = new ArrayList<>(entryIds.size() + 2);
		args.add(QueueKeys.GROUP);
		args.add(consumerName);
		args.addAll(entryIds);
		return this.redis.execute(TOUCH, keys.streamKeys(), args.toArray());
	}

	/** Leaves the group if this consumer holds nothing there (release-consumer.lua). */
	public void releaseConsumer(QueueKeys keys, String consumerName) {
		this.redis.execute(RELEASE, keys.streamKeys(), QueueKeys.GROUP, consumerName);
	}

	/**
	 * Creates the consumer group, with its stream, at id 0 so that jobs enqueued before
	 * any worker existed are delivered too.
	 * @return whether it was created ({@code false}: it existed)
	 * @throws DataAccessException if Redis refused for another reason
	 */
	public boolean createGroup(QueueKeys keys) {
		try {
			this.redis.execute((RedisCallback<Object>) (connection) -> {
				connection.streamCommands()
					.xGroupCreate(keys.stream().getBytes(StandardCharsets.UTF_8), QueueKeys.GROUP, ReadOffset.from("0"),
							true);
				return null;
			});
			return true;
		}
		catch (DataAccessException ex) {
			if (String.valueOf(ex.getMostSpecificCause().getMessage()).contains("BUSYGROUP")) {
				return false;
			}
			throw ex;
		}
	}

	/**
	 * A queue's figures in one round trip (queue-stats.lua).
	 * @return what the script returns (see its header)
	 */
	public List<?> stats(QueueKeys keys, int lagCountLimit) {
		return this.redis.execute(STATS, List.of(keys.stream(), keys.delayed(), keys.dead()), QueueKeys.GROUP,
				Integer.toString(lagCountLimit));
	}

	/** The consumers of taskq's group on a stream. */
	public StreamInfo.XInfoConsumers consumers(String stream) {
		return this.redis.opsForStream().consumers(stream, QueueKeys.GROUP);
	}

}
