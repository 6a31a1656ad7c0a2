-- Adds one ready job to a queue's stream, creating the consumer group with the stream.
-- Creating the group here, not only in the workers, matters when Redis fills up: workers
-- could then no longer create it (XGROUP CREATE is refused at maxmemory) and the queue
-- could never drain.
-- A call the client sends again after a reconnect adds nothing (see sent.lua, the
-- prelude). Only generated ids come here; explicit ones go through submit.lua.
-- KEYS[1]  the queue's stream
-- KEYS[2]  the producer's record of calls done on this queue (sent.lua)
-- ARGV[1]  the consumer group
-- ARGV[2]  the producer's number of this call
-- ARGV[3]  'id', ARGV[4] the job id, then the job's other fields, alternating field and value
-- Returns  1 when the job was added, 0 for a call done before
local call = newCall(KEYS[2], ARGV[2])
if not call then
  return 0
end
ensureGroup(KEYS[1], ARGV[1])
redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
markSent(KEYS[2], call)
return 1
