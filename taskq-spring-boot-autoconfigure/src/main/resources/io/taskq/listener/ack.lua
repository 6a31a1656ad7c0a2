-- Acknowledges finished jobs and deletes their entries, so the stream holds only jobs not
-- yet done and Redis memory returns to its baseline after any number of jobs.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV     then the stream entry ids to acknowledge
-- Returns  the number of entries acknowledged
local acked = redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
redis.call('XDEL', KEYS[1], unpack(ARGV, 2))
return acked
