-- Adds many ready jobs to a queue's stream in one round trip (bulk enqueue), creating the
-- consumer group with the stream (see enqueue.lua for why).
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV     then for each job: the number of field/value arguments that follow (n), then n
--          arguments alternating field and value (the fields of a JobMessage)
-- Returns  the number of jobs added
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
end
local i = 2
local added = 0
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  redis.call('XADD', KEYS[1], '*', unpack(ARGV, i + 1, i + n))
  i = i + n + 1
  added = added + 1
end
return added
