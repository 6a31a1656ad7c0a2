-- Cancels a job (issue 5). A job waiting for its due time (scheduled, or between retries)
-- is removed, and its recorded state, if any, becomes cancelled. Any other job is added
-- to the queue's cancelled set and announced on the wake channel: instances skip it if it
-- is queued and interrupt it if it runs. The set keeps requests for the retention time.
-- KEYS[1]  the delayed sorted set
-- KEYS[2]  the delayed jobs hash
-- KEYS[3]  the queue's cancelled set (member job id, score request time)
-- KEYS[4]  the job's state hash
-- ARGV[1]  the job id
-- ARGV[2]  now (epoch millis)
-- ARGV[3]  how long requests are kept (millis)
-- ARGV[4]  the wake channel
-- ARGV[5]  the channel announcing final states
-- Returns  { 1, the removed job's JSON } when removed, { 0 } when requested
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  local body = redis.call('HGET', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  if redis.call('EXISTS', KEYS[4]) == 1 then
    redis.call('HSET', KEYS[4], 'state', 'cancelled', 'updated', ARGV[2])
    redis.call('HDEL', KEYS[4], 'due')
    redis.call('PUBLISH', ARGV[5], ARGV[1])
  end
  return { 1, body or '' }
end
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', tonumber(ARGV[2]) - tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[3], ARGV[3])
redis.call('PUBLISH', ARGV[4], 'cancel:' .. ARGV[1])
return { 0 }
