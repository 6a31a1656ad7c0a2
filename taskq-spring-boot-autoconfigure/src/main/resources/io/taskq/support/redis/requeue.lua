-- Hands entries this consumer received but will not run (its queue was paused while the
-- read was blocked) back to the queue: each goes to the stream's tail as a new entry and
-- its delivered one is acknowledged and deleted, atomically, so it is neither lost nor
-- doubled, and waits undelivered instead of pending until a reclaim.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV[2]  this consumer: only entries still delivered to it are handed back
-- ARGV     then the entry ids
-- Returns  the number of entries handed back
local requeued = 0
for i = 3, #ARGV do
  local entry = redis.call('XRANGE', KEYS[1], ARGV[i], ARGV[i])
  if entry[1] and ownsEntry(KEYS[1], ARGV[1], ARGV[2], ARGV[i])
      and redis.call('XACK', KEYS[1], ARGV[1], ARGV[i]) == 1 then
    redis.call('XADD', KEYS[1], '*', unpack(entry[1][2]))
    redis.call('XDEL', KEYS[1], ARGV[i])
    requeued = requeued + 1
  end
end
return requeued
