-- Acknowledges finished jobs and removes their entries, so that the stream holds only jobs
-- not yet done (and, for a moment, some finished behind an older one) and Redis memory
-- returns to its baseline after any number of jobs; acks free memory when Redis is full.
-- Entries go with trimFinished (the prelude): a trim up to the oldest entry still pending
-- in any group. Jobs that finished after the oldest pending entry are left for a later
-- trim: with several consumers nearly every batch has some, as another consumer still runs
-- an older job. The caller reports back those it left and, should they still be there
-- after a moment, passes them again to be deleted (the older job may run long, or its
-- retry wait for memory these entries hold). They are deleted only when taskq's group is
-- the stream's only one: an entry another group has not read yet must stay.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV[2]  n, the number of entry ids to acknowledge
-- ARGV     then those n ids, then ids acknowledged earlier and left, to delete now
-- Returns  the oldest entry still pending, '' if none, or '-' if these ids acknowledged
--          nothing (written again, or the stream or its group is gone)
local count = tonumber(ARGV[2])
local acked = 0
if count > 0 then
  local ok, result = pcall(redis.call, 'XACK', KEYS[1], ARGV[1], unpack(ARGV, 3, count + 2))
  acked = ok and result or 0
end
local oldest, groups = trimFinished(KEYS[1], ARGV[1])
if #ARGV > count + 2 and groups == 1 then
  redis.call('XDEL', KEYS[1], unpack(ARGV, count + 3))
end
if acked == 0 then
  return '-'
end
return oldest
