-- Moves a job from the stream to the queue's dead letters, atomically, and only while its
-- entry is still pending and delivered to this consumer, so a job is never dead twice nor
-- dead-lettered under a consumer that took it over and runs it now. The writes Redis may refuse at
-- maxmemory (ZADD, HSET) come before the ones that free memory (XACK, XDEL): a script is
-- not rolled back, so a refusal must leave the entry pending, to be written again later.
-- The dead letters are bounded: jobs dead longer than the maximum age, then the oldest
-- beyond the maximum count, are removed here (with their records and task index entries).
-- KEYS[1]  the queue's stream
-- KEYS[2]  the dead sorted set (member job id, score time of death in epoch millis)
-- KEYS[3]  the dead jobs hash (job id -> JSON of the dead job record)
-- KEYS[4]  the job's task index of the dead letters (see deadTaskIndex)
-- ARGV[1]  the consumer group
-- ARGV[2]  the stream entry id
-- ARGV[3]  the job id
-- ARGV[4]  the time of death (epoch millis)
-- ARGV[5]  the dead job record JSON
-- ARGV[6]  the consumer that ran the job
-- ARGV[7]  the most dead jobs the queue keeps
-- ARGV[8]  the longest a dead job is kept (millis)
-- Returns  -1 when the entry is no longer this consumer's, else how many older dead jobs
--          were removed to keep the bounds
if not ownsEntry(KEYS[1], ARGV[1], ARGV[6], ARGV[2]) then
  return -1
end
local diedAt = tonumber(ARGV[4])
redis.call('ZADD', KEYS[2], diedAt, ARGV[3])
redis.call('HSET', KEYS[3], ARGV[3], ARGV[5])
redis.call('ZADD', KEYS[4], diedAt, ARGV[3])
finishEntry(KEYS[1], ARGV[1], ARGV[2])
local trimmed = removeDead(KEYS[2], KEYS[3],
    redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. (diedAt - tonumber(ARGV[8])), 'LIMIT', 0, 100))
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[7])
if over > 0 then
  trimmed = trimmed + removeDead(KEYS[2], KEYS[3], redis.call('ZRANGE', KEYS[2], 0, math.min(over, 100) - 1))
end
return trimmed
