-- Adds one ready job to a queue's stream, creating the consumer group with the stream.
-- Creating the group here, not only in the workers, matters when Redis fills up: workers
-- could then no longer create it (XGROUP CREATE is refused at maxmemory) and the queue
-- could never drain.
-- The client resends a command whose reply a dropped connection lost (Lettuce retries
-- written commands after reconnecting), so a job already added last is not added again:
-- that would run it twice. Reading the last entry costs no memory and no extra round trip.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV[2]  'id', ARGV[3] the job id, then the job's other fields, alternating field and value
-- Returns  the new entry id, or the existing one for a resent job
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
else
  local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
  if last[1] and last[1][2][1] == 'id' and last[1][2][2] == ARGV[3] then
    return last[1][1]
  end
end
return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
