# Sidekiq drains: ruby driver.rb JOBS WARM_REPEATS WORKERS CONCURRENCY   (or: ruby driver.rb clean)
# Redis URL in PEERBENCH_REDIS_URL.
# A drain: Sidekiq::Client.push_bulk JOBS no-op jobs in chunks of 1,000 into a staging queue no
# worker reads (OSS Sidekiq cannot pause a queue), RENAME that list to the queue the workers
# block on (which wakes their BRPOPs at once, as a resume would), and time from the first look
# (LLEN every 5 ms) that finds jobs done to the last job done; the jobs found done at that first
# look are not counted. Then every job must have run exactly once (JOBS entries, JOBS distinct
# jids, the jids enqueued). One JSON line per drain on stdout and a warm-median line.
require "json"
require_relative "bench_job"

CHUNK = 1000
POLL = 0.005
TIMEOUT = 900

redis = Redis.new(url: PeerBench::REDIS_URL)

def delete_keys(redis, pattern)
  redis.scan_each(match: pattern, count: 1000).each_slice(1000) { |keys| redis.unlink(*keys) }
end

if ARGV[0] == "clean"
  # This peer's keys only, in its own database: Sidekiq's global keys and the bench's.
  ["peerbench:*", "queue:*", "queues", "stat:*", "processes", "retry", "schedule", "dead"].each do |p|
    delete_keys(redis, p)
  end
  exit 0
end

JOBS = Integer(ARGV[0])
REPEATS = Integer(ARGV[1])
WORKERS = Integer(ARGV[2])
CONCURRENCY = Integer(ARGV[3])
YJIT = defined?(RubyVM::YJIT) && RubyVM::YJIT.enabled?

def now
  Process.clock_gettime(Process::CLOCK_MONOTONIC)
end

# Redis's commands processed and CPU seconds so far (INFO stats, INFO cpu).
def redis_counters(redis)
  stats = redis.info("stats")
  cpu = redis.info("cpu")
  [Integer(stats["total_commands_processed"]), Float(cpu["used_cpu_sys"]) + Float(cpu["used_cpu_user"])]
end

def verify_exactly_once(redis, jids)
  length = redis.llen(PeerBench::DONE_KEY)
  done = []
  (0...length).step(50_000) { |start| done.concat(redis.lrange(PeerBench::DONE_KEY, start, start + 49_999)) }
  distinct = done.uniq
  if done.size != jids.size || distinct.size != jids.size || !(distinct - jids).empty?
    raise "Exactly-once check failed: #{jids.size} enqueued, #{done.size} runs of #{distinct.size} distinct jobs"
  end
end

def drain(redis)
  redis.del(PeerBench::DONE_KEY, "queue:#{PeerBench::STAGING}")
  enqueue_start = now
  jids = []
  (0...JOBS).step(CHUNK) do |start|
    n = [CHUNK, JOBS - start].min
    jids.concat(Sidekiq::Client.push_bulk("class" => PeerBenchJob, "args" => Array.new(n) { [] },
      "queue" => PeerBench::STAGING))
  end
  enqueue_seconds = now - enqueue_start
  commands_before, cpu_before = redis_counters(redis)
  redis.rename("queue:#{PeerBench::STAGING}", "queue:#{PeerBench::QUEUE}")
  resumed = now
  first_done = nil
  done_at_first = 0
  last_done = nil
  loop do
    done = redis.llen(PeerBench::DONE_KEY)
    t = now
    if first_done.nil? && done > 0
      first_done = t
      done_at_first = done
    end
    if done >= JOBS
      last_done = t
      break
    end
    raise "Drain did not finish in #{TIMEOUT} s: #{done} of #{JOBS}" if t - resumed > TIMEOUT
    sleep POLL
  end
  commands_after, cpu_after = redis_counters(redis)
  verify_exactly_once(redis, jids)
  # A job run twice might land just after the last: look again a moment later.
  sleep 0.5
  after = redis.llen(PeerBench::DONE_KEY)
  raise "Exactly-once check failed: #{after} runs of #{JOBS} jobs 0.5 s after the drain" if after != JOBS
  seconds = last_done - first_done
  { seconds: seconds, jobs_per_s: seconds > 0 ? (JOBS - done_at_first) / seconds : nil,
    done_at_first_look: done_at_first, first_done_after_resume_s: first_done - resumed,
    enqueue_jobs_per_s: JOBS / enqueue_seconds,
    # Whole drain, from the resume; includes the driver's LLEN every 5 ms.
    redis_commands_per_job: (commands_after - commands_before).to_f / JOBS,
    redis_cpu_us_per_job: (cpu_after - cpu_before) * 1e6 / JOBS }
end

def line(drain_name, result)
  base = { peer: "sidekiq", version: Sidekiq::VERSION, drain: drain_name, workers: WORKERS,
           concurrency: CONCURRENCY, jobs: JOBS,
           setting: "#{WORKERS} process x -c #{CONCURRENCY}",
           runtime: "ruby #{RUBY_VERSION}#{YJIT ? " +YJIT" : ""}, redis-rb #{Redis::VERSION}" }
  result.each { |k, v| base[k] = v.is_a?(Float) ? v.round(k == :seconds || k.end_with?("after_resume_s") ? 4 : 1) : v }
  puts JSON.generate(base)
  $stdout.flush
end

line("cold", drain(redis))
warm = []
REPEATS.times do
  sleep 1
  result = drain(redis)
  warm << result[:jobs_per_s]
  line("warm", result)
end
unless warm.empty?
  sorted = warm.sort
  mid = sorted.size / 2
  median = sorted.size.odd? ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0
  line("warm-median", { repeats: warm.size, jobs_per_s: median, slowest: sorted.first, fastest: sorted.last })
end
