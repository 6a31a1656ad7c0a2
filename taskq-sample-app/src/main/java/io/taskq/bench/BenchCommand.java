package io.taskq.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import io.taskq.JobId;
import io.taskq.client.JobClient;
import io.taskq.client.JobRequest;
import io.taskq.client.QueueControl;
import io.taskq.testing.RedisServer;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@code java -jar taskq-sample-app.jar bench [--name=value ...]}: runs the workloads of
 * issue 6 against the real starter and prints a table (and JSON lines) of figures. Every
 * workload checks that each job ran exactly once, or the run fails.
 */
public final class BenchCommand {

	/** The queue of the in-process worker and the idle workload. */
	static final String DEFAULT_QUEUE = "bench";

	/** The keys of every queue the benchmark uses: {@code bench}, {@code bench-1}... */
	private static final String QUEUE_KEYS = "taskq:{" + DEFAULT_QUEUE + "*}:*";

	private static final int WARM_UP_JOBS = 2000;

	/**
	 * Jobs sent one by one in each round of an in-process worker's warm-up: enough for
	 * the JIT to compile the paths of single jobs (a blocking read returning one) before
	 * latencies are measured.
	 */
	private static final int PACED_WARM_UP_JOBS = 6000;

	/** Rounds of {@value #WARM_UP_JOBS} delayed jobs due at once in a warm-up. */
	private static final int DELAYED_WARM_UP_ROUNDS = 5;

	/** Jobs each worker JVM runs before a drain is measured. */
	private static final int DRAIN_WARM_UP_JOBS = 50_000;

	/**
	 * The share of the workers' CPU taken by JIT compilers in a warm-up round under which
	 * the workers count as warm.
	 */
	private static final double JIT_QUIET_SHARE = 0.05;

	/**
	 * Compilation time under which a second of the latency workload's warm-up counts as
	 * quiet: 1% of the second.
	 */
	private static final long QUIET_COMPILE_MILLIS = 10;

	/** Quiet seconds in a row that end the latency workload's warm-up at its rate. */
	private static final int QUIET_SECONDS = 5;

	/** The share of a core below which an idle worker JVM counts as quiet. */
	private static final double QUIET_CPU_SHARE = 0.05;

	/**
	 * How often the drain's progress is read: often enough to time it within 0.1% for
	 * 200,000 jobs at 40,000 jobs/s, seldom enough to take little CPU from the workers.
	 */
	private static final long DRAIN_POLL_NANOS = 5_000_000;

	private final BenchOptions options;

	private final BenchResults results;

	private final String host;

	private final int port;

	private final StringRedisTemplate redis;

	private final JobClient jobs;

	private final QueueControl queueControl;

	private final RedisServerStats redisStats;

	private BenchCommand(BenchOptions options, String host, int port, ConfigurableApplicationContext producer) {
		this.options = options;
		this.results = new BenchResults(options.json());
		this.host = host;
		this.port = port;
		this.redis = producer.getBean(StringRedisTemplate.class);
		this.jobs = producer.getBean(JobClient.class);
		this.queueControl = producer.getBean(QueueControl.class);
		this.redisStats = new RedisServerStats(this.redis);
	}

	public static void main(String[] args) throws Exception {
		BenchOptions options = BenchOptions.parse(args);
		RedisServer embedded = null;
		String host;
		int port;
		if (options.redis() == null) {
			embedded = RedisServer.start("--save", "", "--appendonly", "no");
			host = embedded.host();
			port = embedded.port();
		}
		else {
			host = options.redis().getHost();
			port = (options.redis().getPort() > 0) ? options.redis().getPort() : 6379;
		}
		try (ConfigurableApplicationContext producer = BenchWorkerApplication.start(host, port,
				"--taskq.listener.enabled=false")) {
			new BenchCommand(options, host, port, producer).run();
		}
		finally {
			if (embedded != null) {
				embedded.close();
			}
		}
	}

	private void run() throws Exception {
		Properties server = this.redis.execute((RedisCallback<Properties>) (c) -> c.serverCommands().info("server"));
		System.out.println("taskq bench: Redis " + server.getProperty("redis_version") + " at " + this.host + ":"
				+ this.port + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
				+ System.getProperty("java.version") + ", " + Instant.now());
		for (String workload : this.options.workloads()) {
			switch (workload.trim()) {
				case "throughput" -> throughput();
				case "latency" -> latency();
				case "delayed" -> delayed();
				case "idle" -> idle();
				case "cpu" -> cpu();
				default -> throw new IllegalArgumentException("Unknown workload '" + workload + "'");
			}
		}
		this.results.printTable();
	}

	private void throughput() throws InterruptedException {
		measureDrains("throughput", this.options.processes(), true);
	}

	private void cpu() throws InterruptedException {
		measureDrains("cpu", List.of(1), false);
	}

	/**
	 * Starts a set of worker JVMs per setting, each set waiting on a queue of its own,
	 * and warms each up in turn. Warm-up rounds (drains of {@value #DRAIN_WARM_UP_JOBS}
	 * jobs per JVM) repeat until the JIT compilers take less than
	 * {@value #JIT_QUIET_SHARE} of the workers' CPU in a round, or up to
	 * {@code --warm-up-rounds}: the measured drain is that of running services, not of
	 * compilers, which cost each added JVM seconds of CPU on a small machine. The first
	 * round is reported as the cold drain and start-up on its own.
	 * <p>
	 * Then come {@code --repeats} rounds of one measured drain per setting, and each
	 * setting's median is reported. The settings take turns, in an order that rotates
	 * from round to round: on a small shared machine drains of one build vary by tens of
	 * percent from one minute to the next, and measured one setting after the other, a
	 * slow spell would fall on whichever setting ran then. The sets waiting meanwhile are
	 * idle (a blocking read each).
	 */
	private void measureDrains(String workload, List<Integer> settings, boolean reportThroughput)
			throws InterruptedException {
		reset();
		List<WorkerSet> sets = new ArrayList<>();
		try {
			int started = 0;
			for (int processes : settings) {
				String queue = DEFAULT_QUEUE + "-" + (sets.size() + 1);
				String setting = processes + " JVM x " + this.options.concurrency() + " slots, "
						+ this.options.handler();
				long spawned = System.nanoTime();
				WorkerSet set = new WorkerSet(setting, queue, processes,
						WorkerProcesses.start(processes, this.host, this.port, this.options.concurrency(), queue));
				sets.add(set);
				started += processes;
				awaitLength(BenchWorkerApplication.READY, started, 10_000_000);
				set.startedUp(seconds(System.nanoTime() - spawned));
				warmUp(set);
			}
			settle(sets);
			for (int round = 0; round < this.options.repeats(); round++) {
				for (int turn = 0; turn < sets.size(); turn++) {
					WorkerSet set = sets.get((round + turn) % sets.size());
					awaitQuiet(sets);
					Drain drain = drain(set, this.options.jobs());
					printDrain(set.setting(), "measured drain " + (round + 1), drain);
					set.measured(drain);
				}
			}
			for (WorkerSet set : sets) {
				report(workload, set, reportThroughput);
			}
			if (reportThroughput) {
				for (WorkerSet set : sets.subList(1, sets.size())) {
					compare(workload, set, sets.get(0));
				}
			}
		}
		finally {
			sets.forEach(WorkerSet::close);
		}
	}

	private void warmUp(WorkerSet set) throws InterruptedException {
		Drain round = warmUpRound(set);
		set.cold(round);
		while (round.compilerShare() >= JIT_QUIET_SHARE && set.warmUpRounds() < this.options.warmUpRounds()) {
			round = warmUpRound(set);
		}
	}

	/**
	 * Warm-up rounds taking turns like the measured drains, until a turn in which every
	 * set's JIT was quiet (one turn at least), or until the sets have had their
	 * {@code --warm-up-rounds}. A set that waited while others ran takes paths of its own
	 * (blocking reads that time out, the reclaim scans that come due), whose compilation
	 * would otherwise fall into its first measured drains.
	 */
	private void settle(List<WorkerSet> sets) throws InterruptedException {
		boolean quiet = false;
		while (!quiet) {
			quiet = true;
			boolean any = false;
			for (WorkerSet set : sets) {
				if (set.warmUpRounds() < this.options.warmUpRounds()) {
					awaitQuiet(sets);
					quiet &= warmUpRound(set).compilerShare() < JIT_QUIET_SHARE;
					any = true;
				}
			}
			quiet |= !any;
		}
	}

	private Drain warmUpRound(WorkerSet set) throws InterruptedException {
		Drain round = drain(set, set.processes() * warmUpJobsPerJvm());
		set.warmedUpOneRound();
		printDrain(set.setting(), "warm-up round " + set.warmUpRounds(), round);
		return round;
	}

	private int warmUpJobsPerJvm() {
		return Math.min(DRAIN_WARM_UP_JOBS, this.options.jobs());
	}

	private void report(String workload, WorkerSet set, boolean reportThroughput) {
		List<Drain> drains = set.drainsBySpeed();
		Drain measured = drains.get(drains.size() / 2);
		String setting = set.setting();
		if (reportThroughput) {
			this.results.add(workload, setting, "enqueue (bulk)", measured.enqueueRate(), "jobs/s");
			this.results.add(workload, setting, "worker start-up", set.startUpSeconds(), "s");
			this.results.add(workload, setting, "drain, cold (1st round)", set.cold().rate(), "jobs/s");
			this.results.add(workload, setting, "warm-up jobs per JVM", set.warmUpRounds() * warmUpJobsPerJvm(),
					"jobs");
			this.results.add(workload, setting, "drain", measured.rate(), "jobs/s");
			this.results.add(workload, setting, "drain, slowest", drains.get(0).rate(), "jobs/s");
			this.results.add(workload, setting, "drain, fastest", drains.get(drains.size() - 1).rate(), "jobs/s");
			this.results.add(workload, setting, "drain: worker CPU per job", measured.workerMicrosPerJob(), "us");
			this.results.add(workload, setting, "drain: Redis CPU per job", measured.redisMicrosPerJob(), "us");
		}
		else {
			this.results.add(workload, setting, "worker CPU per 10,000 jobs",
					measured.workerCpuSeconds() * 10_000 / this.options.jobs(), "s");
		}
	}

	/**
	 * A setting's drain against the first setting's in the same round: a round drains
	 * every setting within a minute or so, while the machine's slow spells, in which the
	 * same drain costs up to twice the CPU, last from seconds to minutes and decide which
	 * setting's median comes out ahead more than the settings do.
	 */
	private void compare(String workload, WorkerSet set, WorkerSet first) {
		int rounds = this.options.repeats();
		double[] ratios = new double[rounds];
		int notBehind = 0;
		for (int round = 0; round < rounds; round++) {
			ratios[round] = set.measuredDrain(round).rate() / first.measuredDrain(round).rate();
			if (ratios[round] >= 1) {
				notBehind++;
			}
		}
		Arrays.sort(ratios);
		String against = first.processes() + " JVM";
		this.results.add(workload, set.setting(), "drain / " + against + " in the same round (median)",
				ratios[rounds / 2], "ratio");
		this.results.add(workload, set.setting(), "rounds not behind " + against, notBehind, "rounds");
	}

	private static void printDrain(String setting, String which, Drain drain) {
		System.out.printf(Locale.ROOT,
				"  (%s, %s: %.0f jobs/s, JIT compilers %.0f%% of worker CPU; CPU per job: workers %.1f us, Redis %.1f us; jobs per read %.1f, per ack %.1f; Redis commands per socket read %.1f)%n",
				setting, which, drain.rate(), drain.compilerShare() * 100, drain.workerMicrosPerJob(),
				drain.redisMicrosPerJob(), drain.jobsPerRead(), drain.jobsPerAck(), drain.commandsPerSocketRead());
	}

	/**
	 * Enqueues {@code count} jobs in bulk while the queue is paused, resumes it and times
	 * the drain from the first job seen done to the last; checks each job ran once.
	 */
	private Drain drain(WorkerSet set, int count) throws InterruptedException {
		WorkerProcesses workers = set.workers();
		this.redis.delete(BenchHandlers.DONE);
		List<JobRequest> requests = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			requests.add(JobRequest.of(this.options.task(), null).withQueue(set.queue()));
		}
		this.queueControl.pause(set.queue());
		// The pause reaches the workers through a channel: let it arrive.
		Thread.sleep(500);
		long enqueueStart = System.nanoTime();
		List<JobId> ids = new ArrayList<>(count);
		for (int start = 0; start < count; start += 10_000) {
			ids.addAll(this.jobs.enqueueAll(requests.subList(start, Math.min(count, start + 10_000))));
		}
		double enqueueSeconds = seconds(System.nanoTime() - enqueueStart);
		double cpuBefore = workers.cpuSeconds();
		double compilerBefore = workers.compilerCpuSeconds();
		double redisCpuBefore = this.redisStats.cpuSeconds();
		RedisServerStats.BatchCalls callsBefore = this.redisStats.batchCalls();
		this.queueControl.resume(set.queue());
		long resumed = System.nanoTime();
		long firstDone = 0;
		long doneAtFirst = 0;
		while (true) {
			long done = llen(BenchHandlers.DONE);
			long now = System.nanoTime();
			if (firstDone == 0 && done > 0) {
				firstDone = now;
				doneAtFirst = done;
			}
			if (done >= count) {
				break;
			}
			if (seconds(now - resumed) > 900) {
				throw new IllegalStateException("Drain did not finish in 15 minutes: " + done + " of " + count);
			}
			LockSupport.parkNanos(DRAIN_POLL_NANOS);
		}
		long lastDone = System.nanoTime();
		double cpuSeconds = workers.cpuSeconds() - cpuBefore;
		double compilerSeconds = workers.compilerCpuSeconds() - compilerBefore;
		double redisCpuSeconds = this.redisStats.cpuSeconds() - redisCpuBefore;
		RedisServerStats.BatchCalls calls = this.redisStats.batchCalls().since(callsBefore);
		verifyExactlyOnce(ids);
		// The jobs already done when the first was seen are not counted: the clock
		// started after them.
		double rate = (count - doneAtFirst) / seconds(lastDone - firstDone);
		return new Drain(count, count / enqueueSeconds, rate, cpuSeconds, compilerSeconds, redisCpuSeconds,
				count / (double) Math.max(1, calls.reads()), count / (double) Math.max(1, calls.acks()),
				calls.commands() / (double) Math.max(1, calls.socketReads()));
	}

	/**
	 * Waits until the workers are idle: their JIT compilers, busy for seconds after a
	 * warm-up, would otherwise take the measured drain's CPU (half of a worker's CPU in a
	 * profile of four JVMs on two cores).
	 */
	private void awaitQuiet(List<WorkerSet> sets) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		int processes = sets.stream().mapToInt(WorkerSet::processes).sum();
		double before = cpuSeconds(sets);
		while (System.nanoTime() < deadline) {
			Thread.sleep(500);
			double now = cpuSeconds(sets);
			if (now - before < QUIET_CPU_SHARE * processes * 0.5) {
				return;
			}
			before = now;
		}
	}

	private static double cpuSeconds(List<WorkerSet> sets) {
		return sets.stream().mapToDouble((set) -> set.workers().cpuSeconds()).sum();
	}

	/**
	 * Waits until jobs done reach {@code total}, timing the end within half a
	 * millisecond.
	 */
	private void awaitDone(long total) {
		awaitLength(BenchHandlers.DONE, total, 500_000);
	}

	private void awaitLength(String list, long length, long pollNanos) {
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (llen(list) < length) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(list + " did not reach " + length + " entries in 5 minutes");
			}
			LockSupport.parkNanos(pollNanos);
		}
	}

	/**
	 * Jobs sent one by one at the workload's rate, after a warm-up at that rate that
	 * lasts until the JIT compilers have been quiet for a while: a compiler thread takes
	 * one of the two cores for tens of milliseconds at a time, and jobs woken meanwhile
	 * wait for the other. The compilation and GC pauses of the measured window are
	 * reported with its figures.
	 */
	private void latency() throws InterruptedException {
		reset();
		try (ConfigurableApplicationContext worker = inProcessWorker()) {
			BenchHandlers handlers = worker.getBean(BenchHandlers.class);
			handlers.recordStarts = true;
			promoteLongLived();
			int settleSeconds = settleAtRate();
			handlers.startedAt.clear();
			int total = this.options.latencyJobs();
			JvmActivity before = JvmActivity.now();
			PacedJobs sent = sendPaced(total);
			awaitDone(total);
			JvmActivity during = JvmActivity.now().since(before);
			verifyExactlyOnce(sent.ids());
			long[] times = new long[total];
			for (int i = 0; i < total; i++) {
				times[i] = handlers.startedAt.get(sent.ids().get(i).value()) - sent.sentAt()[i];
			}
			Arrays.sort(times);
			String setting = this.options.rate() + " jobs/s, 1 JVM x " + this.options.concurrency() + ", "
					+ this.options.handler();
			this.results.add("latency", setting, "enqueue->start p50", percentile(times, 50) / 1e6, "ms");
			this.results.add("latency", setting, "enqueue->start p99", percentile(times, 99) / 1e6, "ms");
			this.results.add("latency", setting, "enqueue->start max", times[times.length - 1] / 1e6, "ms");
			this.results.add("latency", setting, "warm-up at rate", settleSeconds, "s");
			this.results.add("latency", setting, "JIT compilation while measured", during.compileMillis(), "ms");
			this.results.add("latency", setting, "GC pauses while measured", during.gcPauses(), "pauses");
			this.results.add("latency", setting, "GC pause time while measured", during.gcPauseMillis(), "ms");
		}
	}

	/**
	 * Sends seconds of jobs at the workload's rate until {@value #QUIET_SECONDS} seconds
	 * in a row each took the JIT compilers under {@value #QUIET_COMPILE_MILLIS} ms, or
	 * for {@code --latency-warm-up-seconds}.
	 * @return the seconds sent
	 */
	private int settleAtRate() {
		int quietInARow = 0;
		int seconds = 0;
		long done = 0;
		while (quietInARow < QUIET_SECONDS && seconds < this.options.latencyWarmUpSeconds()) {
			JvmActivity before = JvmActivity.now();
			done += sendPaced(this.options.rate()).ids().size();
			awaitDone(done);
			seconds++;
			quietInARow = (JvmActivity.now().since(before).compileMillis() < QUIET_COMPILE_MILLIS) ? quietInARow + 1
					: 0;
		}
		this.redis.delete(BenchHandlers.DONE);
		return seconds;
	}

	/**
	 * Moves what the warm-up left alive into the old generation, as in a service that has
	 * run for a while. Just after start-up, G1 copies such objects from survivor space to
	 * survivor space at every young collection, up to 15 times before it promotes them; a
	 * GC log of this workload showed a 2 MB cohort from the warm-up copied in every pause
	 * of the measured window. Young collections still come in the window (the figures
	 * report them); they just no longer carry the start-up's objects.
	 */
	private static void promoteLongLived() {
		System.gc();
	}

	/** Submits jobs one at a time at the workload's rate, each send timed. */
	private PacedJobs sendPaced(int count) {
		long interval = 1_000_000_000L / this.options.rate();
		List<JobId> ids = new ArrayList<>(count);
		long[] sentAt = new long[count];
		long next = System.nanoTime();
		for (int i = 0; i < count; i++) {
			while (System.nanoTime() < next) {
				LockSupport.parkNanos(Math.max(1000, (next - System.nanoTime()) / 2));
			}
			sentAt[i] = System.nanoTime();
			ids.add(this.jobs.submit(JobRequest.of(this.options.task(), null).withQueue(DEFAULT_QUEUE)));
			next += interval;
		}
		return new PacedJobs(ids, sentAt);
	}

	/** Jobs sent one by one, with the time each send began (nanoTime). */
	private record PacedJobs(List<JobId> ids, long[] sentAt) {

	}

	private void delayed() throws InterruptedException {
		reset();
		try (ConfigurableApplicationContext worker = inProcessWorker()) {
			BenchHandlers handlers = worker.getBean(BenchHandlers.class);
			handlers.recordStarts = true;
			Thread.sleep(1000);
			int total = this.options.delayedJobs();
			long nowMillis = System.currentTimeMillis();
			long nowNanos = System.nanoTime();
			Instant due = Instant.ofEpochMilli(nowMillis + 3000);
			long dueNanos = nowNanos + 3_000_000_000L;
			List<JobRequest> requests = new ArrayList<>(total);
			for (int i = 0; i < total; i++) {
				requests.add(JobRequest.of(this.options.task(), null).withQueue(DEFAULT_QUEUE).withRunAt(due));
			}
			List<JobId> ids = this.jobs.enqueueAll(requests);
			awaitDone(total);
			long allDone = System.nanoTime();
			verifyExactlyOnce(ids);
			long[] lateness = ids.stream()
				.mapToLong((id) -> handlers.startedAt.get(id.value()) - dueNanos)
				.sorted()
				.toArray();
			String setting = total + " due at once, 1 JVM x " + this.options.concurrency() + ", "
					+ this.options.handler();
			this.results.add("delayed", setting, "first start after due", lateness[0] / 1e6, "ms");
			this.results.add("delayed", setting, "lateness p50", percentile(lateness, 50) / 1e6, "ms");
			this.results.add("delayed", setting, "lateness p99", percentile(lateness, 99) / 1e6, "ms");
			this.results.add("delayed", setting, "lateness max", lateness[lateness.length - 1] / 1e6, "ms");
			this.results.add("delayed", setting, "all done after due", (allDone - dueNanos) / 1e6, "ms");
		}
	}

	private void idle() throws InterruptedException {
		reset();
		try (WorkerProcesses workers = WorkerProcesses.start(1, this.host, this.port, this.options.concurrency(),
				DEFAULT_QUEUE)) {
			while (llen(BenchWorkerApplication.READY) < 1) {
				Thread.sleep(50);
			}
			Thread.sleep(2000);
			long commandsBefore = this.redisStats.totalCommands();
			double cpuBefore = workers.cpuSeconds();
			Thread.sleep(this.options.idleSeconds() * 1000L);
			// Less the INFO that reads the second figure.
			long commands = this.redisStats.totalCommands() - commandsBefore - 1;
			double cpu = workers.cpuSeconds() - cpuBefore;
			String setting = "1 JVM, " + this.options.idleSeconds() + " s";
			this.results.add("idle", setting, "Redis commands per second",
					commands / (double) this.options.idleSeconds(), "cmd/s");
			this.results.add("idle", setting, "worker CPU", cpu, "s");
		}
	}

	/**
	 * A worker in this JVM (so start times and enqueue times share a clock), warmed up
	 * with bulk, paced and delayed jobs first: the figures are of a running service, not
	 * of a cold JIT (the promoter's path included, which the delayed workload measures).
	 */
	private ConfigurableApplicationContext inProcessWorker() {
		ConfigurableApplicationContext worker = BenchWorkerApplication.start(this.host, this.port,
				"--taskq.concurrency=" + this.options.concurrency());
		List<JobRequest> warmUp = new ArrayList<>();
		for (int i = 0; i < WARM_UP_JOBS; i++) {
			warmUp.add(JobRequest.of(this.options.task(), null).withQueue(DEFAULT_QUEUE));
		}
		for (int round = 0; round < 3; round++) {
			this.jobs.enqueueAll(warmUp);
			for (int i = 0; i < PACED_WARM_UP_JOBS; i++) {
				this.jobs.submit(JobRequest.of(this.options.task(), null).withQueue(DEFAULT_QUEUE));
				LockSupport.parkNanos(250_000);
			}
		}
		long done = 3 * (WARM_UP_JOBS + PACED_WARM_UP_JOBS);
		awaitDone(done);
		for (int round = 0; round < DELAYED_WARM_UP_ROUNDS; round++) {
			Instant due = Instant.now().plusMillis(300);
			this.jobs.enqueueAll(warmUp.stream().map((request) -> request.withRunAt(due)).toList());
			done += WARM_UP_JOBS;
			awaitDone(done);
		}
		this.redis.delete(BenchHandlers.DONE);
		return worker;
	}

	/** Every enqueued job ran, and none twice; otherwise the run is void. */
	private void verifyExactlyOnce(List<JobId> ids) {
		List<String> done = new ArrayList<>(ids.size());
		long length = llen(BenchHandlers.DONE);
		for (long start = 0; start < length; start += 50_000) {
			List<String> page = this.redis.opsForList().range(BenchHandlers.DONE, start, start + 49_999);
			if (page != null) {
				done.addAll(page);
			}
		}
		Set<String> distinct = new HashSet<>(done);
		Set<String> expected = new HashSet<>(ids.stream().map(JobId::value).toList());
		if (done.size() != ids.size() || !distinct.equals(expected)) {
			throw new IllegalStateException("Exactly-once check failed: " + ids.size() + " enqueued, " + done.size()
					+ " runs of " + distinct.size() + " distinct jobs");
		}
	}

	private void reset() {
		Set<String> keys = new HashSet<>(Arrays.asList(BenchHandlers.DONE, BenchWorkerApplication.READY));
		Set<String> queueKeys = this.redis.keys(QUEUE_KEYS);
		if (queueKeys != null) {
			keys.addAll(queueKeys);
		}
		this.redis.delete(keys);
	}

	private long llen(String key) {
		Long length = this.redis.opsForList().size(key);
		return (length != null) ? length : 0;
	}

	private static long percentile(long[] sorted, int percentile) {
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

}
