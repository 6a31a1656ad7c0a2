-- Adds one ready job to a queue's stream, creating the consumer group with the stream.
-- Creating the group here, not only in the workers, matters when Redis fills up: workers
-- could then no longer create it (XGROUP CREATE is refused at maxmemory) and the queue
-- could never drain.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV     then the job's fields, alternating field and value
-- Returns  the new entry id
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
end
return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
