-- Adds many ready jobs to a queue's stream in one round trip (bulk enqueue), creating the
-- consumer group with the stream (see enqueue.lua for why). A batch resent by the client
-- after a dropped connection (see enqueue.lua) is recognised by its last job being the
-- stream's last entry, and not added again.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV[2]  the id of the batch's last job
-- ARGV     then, from ARGV[3], for each job: the number of field/value arguments that
--          follow (n), then n arguments alternating field and value (a JobMessage's fields)
-- Returns  the number of jobs added
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
else
  local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
  if last[1] and last[1][2][1] == 'id' and last[1][2][2] == ARGV[2] then
    return 0
  end
end
local i = 3
local added = 0
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  redis.call('XADD', KEYS[1], '*', unpack(ARGV, i + 1, i + n))
  i = i + n + 1
  added = added + 1
end
return added
