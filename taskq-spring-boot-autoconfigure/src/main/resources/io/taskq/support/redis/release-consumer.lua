-- Removes a stopping consumer from a queue's group when it holds no pending job, so the
-- group does not collect one dead consumer per deploy. A consumer that still holds jobs
-- stays: deleting it would drop their pending entries, and they must be reclaimed.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV[2]  the consumer
-- Returns  1 when the consumer was removed, 0 when it still holds jobs
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
if #pending > 0 then
  return 0
end
redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
return 1
