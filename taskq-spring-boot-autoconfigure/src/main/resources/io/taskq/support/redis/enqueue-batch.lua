-- Adds many ready jobs to a queue's stream in one round trip (bulk enqueue), creating the
-- consumer group with the stream (see enqueue.lua for why). A batch the client sends
-- again after a reconnect adds nothing (see sent.lua, the prelude).
-- KEYS[1]  the queue's stream
-- KEYS[2]  the producer's record of calls done on this queue (sent.lua)
-- ARGV[1]  the consumer group
-- ARGV[2]  the producer's number of this call
-- ARGV     then, from ARGV[3], for each job: the number of field/value arguments that
--          follow (n), then n arguments alternating field and value (a JobMessage's fields)
-- Returns  the number of jobs added, 0 for a call done before
local call = newCall(KEYS[2], ARGV[2])
if not call then
  return 0
end
ensureGroup(KEYS[1], ARGV[1])
local i = 3
local added = 0
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  redis.call('XADD', KEYS[1], '*', unpack(ARGV, i + 1, i + n))
  i = i + n + 1
  added = added + 1
end
markSent(KEYS[2], call)
return added
