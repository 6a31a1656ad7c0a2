package io.taskq.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.connection.stream.StringRecord;

/**
 * Reads the jobs of a pool's queues with XREADGROUP on the fetcher's own connection
 * (blocking reads never share the multiplexed one). A pool of one queue does one blocking
 * read for all free slots. A pool of several offers the free slots to its queues in
 * {@link LaneOrder}, one non-blocking read each until the slots are taken; only when all
 * are empty does it block, in one read over all of them.
 * <p>
 * A read never asks for more entries than there are free slots, except that blocking
 * read, which takes one per queue; the rare surplus (several queues answering at once) is
 * handed back to its stream's tail, as are entries of a queue paused while its read was
 * under way. A queue whose read fails backs off alone ({@link QueueLane#readFailed}); the
 * others go on.
 * <p>
 * Not thread-safe: the fetcher thread alone uses it.
 */
final class PoolReader {

	/**
	 * How long each blocking read waits on Redis Cluster, where one read cannot span the
	 * queues of a pool (their keys live in different slots), so it waits on one queue
	 * after another.
	 */
	static final Duration CLUSTER_LANE_BLOCK = Duration.ofMillis(100);

	/**
	 * Longest a blocking read waits while some queue of the pool is paused or backing
	 * off, so that its resumption is noticed soon: a blocking read cannot be cut short.
	 */
	static final Duration PARTIAL_POOL_BLOCK = Duration.ofSeconds(1);

	private final RedisConnectionFactory connectionFactory;

	private final Consumer consumer;

	private final List<QueueLane> lanes;

	private final Map<String, QueueLane> lanesByStream = new HashMap<>();

	private final LaneOrder order;

	private final Duration blockTimeout;

	private @Nullable RedisConnection connection;

	private boolean cluster;

	/** Which queue the next blocking read waits on, on Redis Cluster. */
	private int clusterLane;

	PoolReader(RedisConnectionFactory connectionFactory, Consumer consumer, List<QueueLane> lanes, LaneOrder order,
			Duration blockTimeout) {
		this.connectionFactory = connectionFactory;
		this.consumer = consumer;
		this.lanes = lanes;
		this.order = order;
		this.blockTimeout = blockTimeout;
		lanes.forEach((lane) -> this.lanesByStream.put(lane.stream(), lane));
	}

	/**
	 * Reads up to {@code count} entries of the ready queues, blocking for up to the block
	 * timeout if they are all empty.
	 * @param ready the queues to read, neither paused nor backing off, in the pool's
	 * order
	 * @return the entries to run, by queue; every one of them is pending on this consumer
	 */
	List<LaneRecords> read(List<QueueLane> ready, int count) {
		if (this.lanes.size() == 1) {
			QueueLane lane = ready.get(0);
			return keep(lane, readLane(lane, count, this.blockTimeout));
		}
		List<LaneRecords> read = new ArrayList<>();
		int left = count;
		for (QueueLane lane : this.order.order(ready, QueueLane::weight)) {
			List<LaneRecords> records = keep(lane, readLane(lane, left, null));
			if (!records.isEmpty()) {
				read.addAll(records);
				left -= records.get(0).records().size();
				if (left == 0) {
					break;
				}
			}
		}
		if (!read.isEmpty()) {
			return read;
		}
		// Not on a queue whose read just failed: it backs off alone.
		long now = System.currentTimeMillis();
		List<QueueLane> stillReady = ready.stream().filter((lane) -> lane.isReady(now)).toList();
		return stillReady.isEmpty() ? List.of() : awaitAny(stillReady, count);
	}

	/**
	 * Blocks until any of the queues has an entry, reading one per queue; the entries
	 * that arrive next are read by order on the next turn.
	 */
	private List<LaneRecords> awaitAny(List<QueueLane> ready, int count) {
		Duration block = (ready.size() < this.lanes.size()) ? min(this.blockTimeout, PARTIAL_POOL_BLOCK)
				: this.blockTimeout;
		List<StringRecord> records;
		try {
			if (isCluster()) {
				QueueLane lane = ready.get(Math.floorMod(this.clusterLane++, ready.size()));
				return keep(lane, readLane(lane, count, min(block, CLUSTER_LANE_BLOCK)));
			}
			records = new ArrayList<>(
					read(1, block, ready.stream().map(QueueLane::readOffset).toArray(StreamOffset[]::new)));
		}
		catch (RuntimeException ex) {
			closeConnection();
			ready.forEach((lane) -> lane.readFailed(ex));
			return List.of();
		}
		List<QueueLane> rank = this.order.order(ready, QueueLane::weight);
		records.sort(Comparator.comparingInt((record) -> rank.indexOf(laneOf(record))));
		List<LaneRecords> kept = new ArrayList<>();
		int left = count;
		for (StringRecord record : records) {
			QueueLane lane = laneOf(record);
			if (left > 0) {
				List<LaneRecords> one = keep(lane, List.of(record));
				kept.addAll(one);
				left -= one.size();
			}
			else {
				handBack(lane, List.of(record));
			}
		}
		return kept;
	}

	/**
	 * @return the entries read, or none if the read failed (the queue then backs off)
	 */
	private List<StringRecord> readLane(QueueLane lane, int count, @Nullable Duration block) {
		try {
			List<StringRecord> records = read(count, block, lane.readOffset());
			lane.readSucceeded();
			return records;
		}
		catch (RuntimeException ex) {
			closeConnection();
			lane.readFailed(ex);
			return List.of();
		}
	}

	/** The entries to run, or none if the queue was paused while they were read. */
	private List<LaneRecords> keep(QueueLane lane, List<StringRecord> records) {
		if (records.isEmpty()) {
			return List.of();
		}
		if (lane.isPaused()) {
			handBack(lane, records);
			return List.of();
		}
		return List.of(new LaneRecords(lane, records));
	}

	/**
	 * Hands entries back to the stream's tail. If that fails they stay pending here, and
	 * are reclaimed after the visibility timeout: late, not lost.
	 */
	private void handBack(QueueLane lane, List<StringRecord> records) {
		try {
			lane.requeue(records.stream().map((record) -> record.getId().getValue()).toList());
		}
		catch (RuntimeException ex) {
			lane.readFailed(ex);
		}
	}

	/**
	 * Reads bytes and turns them into strings here, in one pass per entry: a string
	 * connection's conversion builds a map per field, the costliest part of a read.
	 */
	@SafeVarargs
	private List<StringRecord> read(int count, @Nullable Duration block, StreamOffset<String>... offsets) {
		StreamReadOptions readOptions = StreamReadOptions.empty().count(count);
		@SuppressWarnings("unchecked")
		StreamOffset<byte[]>[] streams = new StreamOffset[offsets.length];
		for (int i = 0; i < offsets.length; i++) {
			streams[i] = StreamOffset.create(offsets[i].getKey().getBytes(StandardCharsets.UTF_8),
					offsets[i].getOffset());
		}
		List<ByteRecord> records = connection().streamCommands()
			.xReadGroup(this.consumer, (block != null) ? readOptions.block(block) : readOptions, streams);
		if (records == null || records.isEmpty()) {
			return List.of();
		}
		List<StringRecord> read = new ArrayList<>(records.size());
		for (ByteRecord record : records) {
			read.add(strings(record));
		}
		return read;
	}

	private static StringRecord strings(ByteRecord record) {
		Map<byte[], byte[]> body = record.getValue();
		Map<String, String> fields = new LinkedHashMap<>((int) (body.size() / 0.75f) + 1);
		body.forEach((name, value) -> fields.put(new String(name, StandardCharsets.UTF_8),
				new String(value, StandardCharsets.UTF_8)));
		return StreamRecords.newRecord()
			.in(new String(record.getRequiredStream(), StandardCharsets.UTF_8))
			.withId(record.getId())
			.ofStrings(fields);
	}

	private QueueLane laneOf(StringRecord record) {
		QueueLane lane = this.lanesByStream.get(record.getStream());
		if (lane == null) {
			throw new IllegalStateException("Read an entry of unknown stream '" + record.getStream() + "'");
		}
		return lane;
	}

	private boolean isCluster() {
		connection();
		return this.cluster;
	}

	private RedisConnection connection() {
		RedisConnection connection = this.connection;
		if (connection == null) {
			connection = this.connectionFactory.getConnection();
			this.cluster = connection instanceof RedisClusterConnection;
			this.connection = connection;
		}
		return connection;
	}

	void closeConnection() {
		RedisConnection connection = this.connection;
		this.connection = null;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				// Closing a broken connection may fail; it is gone either way.
			}
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	/**
	 * Entries read from one queue.
	 */
	record LaneRecords(QueueLane lane, List<StringRecord> records) {
	}

}
