-- Moves a job from the stream to the queue's dead letters, atomically. Only the consumer
-- whose XACK succeeds records it, so a job is never dead twice.
-- KEYS[1]  the queue's stream
-- KEYS[2]  the dead sorted set (member job id, score time of death in epoch millis)
-- KEYS[3]  the dead jobs hash (job id -> JSON of the dead job record)
-- ARGV[1]  the consumer group
-- ARGV[2]  the stream entry id
-- ARGV[3]  the job id
-- ARGV[4]  the time of death (epoch millis)
-- ARGV[5]  the dead job record JSON
-- Returns  1 when the job was dead-lettered, 0 when the entry was no longer pending
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return 0
end
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], tonumber(ARGV[4]), ARGV[3])
redis.call('HSET', KEYS[3], ARGV[3], ARGV[5])
return 1
