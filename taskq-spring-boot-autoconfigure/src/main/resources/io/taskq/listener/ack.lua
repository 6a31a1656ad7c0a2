-- Acknowledges finished jobs and removes their entries, so that the stream holds only jobs
-- not yet done (and, for a moment, some finished behind an older one) and Redis memory
-- returns to its baseline after any number of jobs; acks free memory when Redis is full.
-- Entries are removed by trimming the stream up to its oldest pending entry with XTRIM
-- MINID, which frees whole listpack nodes: every entry before that one was delivered
-- (XREADGROUP '>' delivers in id order and the group starts at 0) and is no longer
-- pending, so its job is done. Deleting entry by entry with XDEL (a seek and an edit inside
-- a listpack) took some 40% of Redis's CPU per job. Jobs that finished after the oldest
-- pending entry are left for a later trim: with several consumers nearly every batch has
-- some, as another consumer still runs an older job. The caller reports back those it left
-- and, should they still be there after a moment, passes them again to be deleted (the
-- older job may run long, or its retry wait for memory these entries hold).
-- With nothing left pending, every entry up to the group's last delivered one is done,
-- those another consumer left and could not delete (it died) too.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV[2]  n, the number of entry ids to acknowledge
-- ARGV     then those n ids, then ids acknowledged earlier and left, to delete now
-- Returns  the oldest entry still pending, '' if none, or '-' if these ids acknowledged
--          nothing (written again, or the stream or its group is gone)
local count = tonumber(ARGV[2])
if #ARGV > count + 2 then
  redis.call('XDEL', KEYS[1], unpack(ARGV, count + 3))
end
if count == 0 then
  return '-'
end
local acked = redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 3, count + 2))
if acked == 0 then
  -- XPENDING would fail without the group.
  return '-'
end
local oldest = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1)[1]
if oldest then
  redis.call('XTRIM', KEYS[1], 'MINID', oldest[1])
  return oldest[1]
end
local lastDelivered
for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local name, id
  for i = 1, #group, 2 do
    if group[i] == 'name' then name = group[i + 1] end
    if group[i] == 'last-delivered-id' then id = group[i + 1] end
  end
  if name == ARGV[1] then lastDelivered = id end
end
local ms, seq = string.match(lastDelivered, '^(%d+)-(%d+)$')
redis.call('XTRIM', KEYS[1], 'MINID', string.format('%d-%d', tonumber(ms), tonumber(seq) + 1))
return ''
