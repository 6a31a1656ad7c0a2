package io.taskq.fleet;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.taskq.fleet.FleetViews.Instance;
import io.taskq.fleet.FleetViews.SlowRun;
import io.taskq.fleet.FleetViews.Window;
import io.taskq.support.redis.FleetKeys;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;

/**
 * Reads the fleet's figures, slow runs and instances back for the dashboard. A range is
 * one pipelined round trip over its buckets (60 for an hour, 144 for a day); nothing
 * scans the database.
 */
public class FleetReader {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final StringRedisTemplate redis;

	private final FleetKeys keys;

	public FleetReader(StringRedisTemplate redis, FleetKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * The fleet's figures over the range ending now (its last point is the bucket in
	 * progress).
	 * @param range {@code hour} or {@code day}
	 * @throws IllegalArgumentException for another range, naming the ones there are
	 */
	public Window window(String range) {
		FleetRange fleetRange = FleetRange.of(range);
		FleetWindow window = window(fleetRange, System.currentTimeMillis());
		return new Window(window.series(), window.latency(), window.tasks(), fleetRange.step().toSeconds());
	}

	FleetWindow window(FleetRange range, long nowMillis) {
		long step = range.step().toMillis();
		long last = nowMillis / step;
		long first = last - range.points() + 1;
		List<String> keyList = new ArrayList<>(range.points());
		for (long bucket = first; bucket <= last; bucket++) {
			keyList.add((range == FleetRange.HOUR) ? this.keys.minute(bucket) : this.keys.tenMinutes(bucket));
		}
		List<Object> hashes = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			for (String key : keyList) {
				connection.hashCommands().hGetAll(key.getBytes(StandardCharsets.UTF_8));
			}
			return null;
		});
		List<Map<String, String>> buckets = new ArrayList<>(hashes.size());
		for (Object hash : hashes) {
			@SuppressWarnings("unchecked")
			Map<String, String> fields = (hash instanceof Map<?, ?> map) ? (Map<String, String>) map : Map.of();
			buckets.add(fields);
		}
		double elapsedInLast = Math.max(1, (nowMillis - last * step) / 1000.0);
		return new FleetWindow(range, Instant.ofEpochMilli(first * step), buckets, elapsedInLast);
	}

	/** A task's slow runs of the last day, slowest first. */
	public List<SlowRun> slowRuns(String queue, String task) {
		List<String> runs = this.redis.opsForList().range(this.keys.slowRuns(queue, task), 0, -1);
		List<SlowRun> result = new ArrayList<>();
		if (runs != null) {
			for (String run : runs) {
				JsonNode node = JSON.readTree(run);
				result.add(new SlowRun(node.path("jobId").asString(), node.path("micros").asLong() / 1000.0,
						Instant.ofEpochMilli(node.path("finishedAt").asLong()), node.path("instance").asString(),
						node.path("failed").asBoolean()));
			}
		}
		result.sort(Comparator.comparingDouble(SlowRun::durationMillis).reversed());
		return result;
	}

	/** Every instance whose heartbeat is recent, by id. */
	public List<Instance> instances() {
		Set<TypedTuple<String>> listed = this.redis.opsForZSet().rangeWithScores(this.keys.instances(), 0, -1);
		if (listed == null || listed.isEmpty()) {
			return List.of();
		}
		List<String> ids = new ArrayList<>();
		List<String> instanceKeys = new ArrayList<>();
		List<Double> seen = new ArrayList<>();
		for (TypedTuple<String> tuple : listed) {
			String id = tuple.getValue();
			if (id != null) {
				ids.add(id);
				instanceKeys.add(this.keys.instance(id));
				seen.add((tuple.getScore() != null) ? tuple.getScore() : 0);
			}
		}
		List<String> descriptions = this.redis.opsForValue().multiGet(instanceKeys);
		List<Instance> instances = new ArrayList<>();
		for (int i = 0; i < ids.size(); i++) {
			String json = (descriptions != null) ? descriptions.get(i) : null;
			if (json != null) {
				instances.add(toInstance(json, seen.get(i).longValue()));
			}
		}
		instances.sort(Comparator.comparing(Instance::id));
		return instances;
	}

	private static Instance toInstance(String json, long lastSeen) {
		InstanceDescription description = JSON.readValue(json, InstanceDescription.class);
		return new Instance(description.id(), description.host(), description.pid(), description.version(),
				description.queues(), description.concurrency(), description.busy(),
				Instant.ofEpochMilli(description.startedAt()), Instant.ofEpochMilli(lastSeen));
	}

}
