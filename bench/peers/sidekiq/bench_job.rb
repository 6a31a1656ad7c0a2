# The Sidekiq job and server settings for the peer benchmark (loaded by `sidekiq -r`).
# Each job's body is one RPUSH of its jid, on Sidekiq's own Redis connection pool.
require "sidekiq"
require "logger"

# redis-rb 4.8 warns on every Sidekiq push that Redis#sadd will return an Integer in redis-rb 5.
Redis.silence_deprecations = true

module PeerBench
  DONE_KEY = "peerbench:done"
  READY_KEY = "peerbench:ready"
  QUEUE = "peerbench"
  # Jobs are pushed here while the workers are held off, then the list is renamed to the
  # queue Sidekiq reads (see driver.rb): OSS Sidekiq has no queue pause.
  STAGING = "peerbench-staging"
  REDIS_URL = ENV.fetch("PEERBENCH_REDIS_URL")
end

class PeerBenchJob
  include Sidekiq::Job

  def perform
    Sidekiq.redis { |conn| conn.rpush(PeerBench::DONE_KEY, jid) }
  end
end

Sidekiq.configure_client do |config|
  config.redis = { url: PeerBench::REDIS_URL, size: 2 }
end

Sidekiq.configure_server do |config|
  config.redis = { url: PeerBench::REDIS_URL }
  # Sidekiq logs a start and a done line per job at INFO: the other peers log nothing per job.
  config.logger.level = Logger::WARN
  # The first heartbeat comes as the processors start fetching.
  config.on(:heartbeat) do
    Sidekiq.redis { |conn| conn.rpush(PeerBench::READY_KEY, Process.pid.to_s) }
  end
end
