-- Takes one of the slots of a concurrency key for a job, if one is free (issue 5). A slot
-- is a member of the key's sorted set scored by when it lapses: a worker that crashes
-- cannot hold it past that time, and expired slots are swept here before counting.
-- Due times come from the server's clock, which every instance shares.
-- KEYS[1]  the concurrency lease set
-- ARGV[1]  the job id
-- ARGV[2]  the most jobs that may hold the key at once
-- ARGV[3]  how long the lease lasts unless refreshed (millis)
-- Returns  1 when the job holds a slot (also when it held one already), 0 when all are taken
local now = serverTimeMillis()
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == false
    and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
