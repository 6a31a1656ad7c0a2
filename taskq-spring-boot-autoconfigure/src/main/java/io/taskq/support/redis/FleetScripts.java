package io.taskq.support.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The fleet-wide figures and heartbeat: an instance's report in one round trip
 * (fleet-report.lua), and its leaving.
 */
public final class FleetScripts {

	/** A day of minutes, and an hour to spare. */
	public static final Duration MINUTES_KEPT = Duration.ofHours(25);

	/** Ten-minute buckets are read for the last day; kept an hour longer. */
	public static final Duration TEN_MINUTES_KEPT = Duration.ofHours(25);

	/** Slow runs kept per task. */
	public static final int SLOW_RUNS_KEPT = 50;

	private static final RedisScript<Long> REPORT = TaskqScript.load(FleetScripts.class, "fleet-report.lua",
			Long.class);

	private final StringRedisTemplate redis;

	private final FleetKeys keys;

	public FleetScripts(StringRedisTemplate redis, FleetKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	public FleetKeys keys() {
		return this.keys;
	}

	/**
	 * Writes an instance's figures and slow runs into the buckets of the given time, and
	 * its heartbeat.
	 * @param slowRuns JSON of one slow run per task, by {@link FleetKeys#slowRuns} key
	 * @param listed how long the instance stays listed without another heartbeat
	 * @return the server time of the heartbeat (epoch millis)
	 */
	public long report(long epochMillis, String instanceId, String instanceJson, Duration listed,
			List<FleetFigure> figures, Map<String, String> slowRuns) {
		List<String> keyList = new ArrayList<>(4 + slowRuns.size());
		keyList.add(this.keys.minute(epochMillis / 60_000));
		keyList.add(this.keys.tenMinutes(epochMillis / 600_000));
		keyList.add(this.keys.instances());
		keyList.add(this.keys.instance(instanceId));
		keyList.addAll(slowRuns.keySet());
		List<String> args = new ArrayList<>(8 + figures.size() * 3 + slowRuns.size());
		args.add(Long.toString(MINUTES_KEPT.toMillis()));
		args.add(Long.toString(TEN_MINUTES_KEPT.toMillis()));
		args.add(instanceId);
		args.add(instanceJson);
		args.add(Long.toString(listed.toMillis()));
		args.add(Integer.toString(SLOW_RUNS_KEPT));
		args.add(Long.toString(TEN_MINUTES_KEPT.toMillis()));
		args.add(Integer.toString(figures.size()));
		for (FleetFigure figure : figures) {
			args.add(figure.field());
			args.add(figure.keepLarger() ? "x" : "i");
			args.add(Long.toString(figure.value()));
		}
		args.addAll(slowRuns.values());
		Long now = this.redis.execute(REPORT, keyList, args.toArray(Object[]::new));
		return (now != null) ? now : epochMillis;
	}

	/** Removes an instance from the list at once (it stops). */
	public void leave(String instanceId) {
		this.redis.opsForZSet().remove(this.keys.instances(), instanceId);
		this.redis.delete(this.keys.instance(instanceId));
	}

}
