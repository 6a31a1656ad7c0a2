-- Moves a job from the stream to the queue's dead letters, atomically, and only while its
-- entry is still pending, so a job is never dead twice. The writes Redis may refuse at
-- maxmemory (ZADD, HSET) come before the ones that free memory (XACK, XDEL): a script is
-- not rolled back, so a refusal must leave the entry pending, to be written again later.
-- KEYS[1]  the queue's stream
-- KEYS[2]  the dead sorted set (member job id, score time of death in epoch millis)
-- KEYS[3]  the dead jobs hash (job id -> JSON of the dead job record)
-- ARGV[1]  the consumer group
-- ARGV[2]  the stream entry id
-- ARGV[3]  the job id
-- ARGV[4]  the time of death (epoch millis)
-- ARGV[5]  the dead job record JSON
-- Returns  1 when the job was dead-lettered, 0 when the entry was no longer pending
if #redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1) == 0 then
  return 0
end
redis.call('ZADD', KEYS[2], tonumber(ARGV[4]), ARGV[3])
redis.call('HSET', KEYS[3], ARGV[3], ARGV[5])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
