-- Moves a job from the stream to the queue's dead letters, atomically, and only while its
-- entry is still pending and delivered to this consumer, so a job is never dead twice nor
-- dead-lettered under a consumer that took it over and runs it now. The writes Redis may refuse at
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
-- ARGV[6]  the consumer that ran the job
-- Returns  1 when the job was dead-lettered, 0 when the entry is no longer this consumer's
if not ownsEntry(KEYS[1], ARGV[1], ARGV[6], ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[2], tonumber(ARGV[4]), ARGV[3])
redis.call('HSET', KEYS[3], ARGV[3], ARGV[5])
finishEntry(KEYS[1], ARGV[1], ARGV[2])
return 1
