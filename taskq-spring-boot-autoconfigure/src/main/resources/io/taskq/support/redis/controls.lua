-- Reads what the queue's pub/sub channel announces, for an instance that may have missed
-- a message (a reconnect, a start): the pause flag and the recent cancellation requests.
-- KEYS[1]  the queue's pause flag
-- KEYS[2]  the queue's cancelled set (member job id, score when requested, epoch millis)
-- ARGV[1]  the earliest request time to return (epoch millis)
-- Returns  { 1 when paused else 0, then job id, request time, job id, request time... }
local result = { redis.call('EXISTS', KEYS[1]) }
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[1], '+inf', 'WITHSCORES')
for i = 1, #ids do
  result[#result + 1] = ids[i]
end
return result
