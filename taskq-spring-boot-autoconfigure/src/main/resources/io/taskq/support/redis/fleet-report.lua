-- One instance's report: the figures it gathered since its last report, added to the
-- minute and ten-minute buckets of the whole fleet, its slowest runs, and its heartbeat.
-- One call per report interval, whatever the number of jobs, so the hot path pays nothing.
-- KEYS[1]   the minute's figures hash
-- KEYS[2]   the ten minutes' figures hash
-- KEYS[3]   the instances sorted set (member instance id, score last heartbeat)
-- KEYS[4]   this instance's description
-- KEYS[5..] the slow-run lists of the tasks that have one in this report
-- ARGV[1]   how long a minute's figures are kept (millis)
-- ARGV[2]   how long ten minutes' figures are kept (millis)
-- ARGV[3]   the instance id
-- ARGV[4]   the instance description JSON
-- ARGV[5]   how long an instance without a heartbeat stays listed (millis)
-- ARGV[6]   how many slow runs a task's list keeps
-- ARGV[7]   how long a slow-run list is kept (millis)
-- ARGV[8]   n, the number of figures; then n triples (field, 'i' to add or 'x' to keep
--           the larger, value); then one slow run JSON per key from KEYS[5]
-- Returns   the server time of the heartbeat (epoch millis)
local now = serverTimeMillis()
local listed = tonumber(ARGV[5])
redis.call('SET', KEYS[4], ARGV[4], 'PX', listed)
redis.call('ZADD', KEYS[3], now, ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - listed)
redis.call('PEXPIRE', KEYS[3], listed)
local n = tonumber(ARGV[8])
local at = 9
for _ = 1, n do
  local field, op, value = ARGV[at], ARGV[at + 1], tonumber(ARGV[at + 2])
  for hash = 1, 2 do
    if op == 'i' then
      redis.call('HINCRBY', KEYS[hash], field, value)
    else
      local current = tonumber(redis.call('HGET', KEYS[hash], field) or '0')
      if value > current then
        redis.call('HSET', KEYS[hash], field, value)
      end
    end
  end
  at = at + 3
end
if n > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
local keep = tonumber(ARGV[6])
for key = 5, #KEYS do
  redis.call('LPUSH', KEYS[key], ARGV[at])
  redis.call('LTRIM', KEYS[key], 0, keep - 1)
  redis.call('PEXPIRE', KEYS[key], ARGV[7])
  at = at + 1
end
return now
