-- Replaces a failed job's stream entry with a delayed retry, atomically: the job is never
-- in neither place nor in both. Only while the entry is still pending (not taken and
-- finished by another consumer meanwhile) is the retry scheduled, so it is never doubled.
-- The writes Redis may refuse at maxmemory (ZADD, HSET) come before the ones that free
-- memory (XACK, XDEL): a script is not rolled back, so a refusal must leave the entry as it
-- was, pending, to be written again later. Only the consumer that holds the entry acts: one
-- whose claim lapsed and was taken over leaves the job to the consumer running it now.
-- KEYS[1]  the queue's stream
-- KEYS[2]  the delayed sorted set
-- KEYS[3]  the delayed jobs hash
-- ARGV[1]  the consumer group
-- ARGV[2]  the stream entry id of the failed run
-- ARGV[3]  the retry's due time (epoch millis)
-- ARGV[4]  the job id
-- ARGV[5]  the job JSON with its retry count raised
-- ARGV[6]  the wake channel
-- ARGV[7]  the consumer that ran the job
-- Returns  1 when the retry was scheduled, 0 when the entry is no longer this consumer's
if not ownsEntry(KEYS[1], ARGV[1], ARGV[7], ARGV[2]) then
  return 0
end
local due = tonumber(ARGV[3])
local head = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
redis.call('ZADD', KEYS[2], due, ARGV[4])
redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
finishEntry(KEYS[1], ARGV[1], ARGV[2])
if head[2] == nil or due < tonumber(head[2]) then
  redis.call('PUBLISH', ARGV[6], ARGV[3])
end
return 1
