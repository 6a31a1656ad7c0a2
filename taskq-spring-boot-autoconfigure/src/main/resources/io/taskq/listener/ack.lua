-- Acknowledges finished jobs and removes their entries, so the stream holds only jobs not
-- yet done and Redis memory returns to its baseline after any number of jobs (and acks
-- free memory when Redis is full).
-- Deleting each entry with XDEL (a seek and an edit inside its listpack) took half of
-- Redis's CPU per job. Instead the stream is trimmed up to its oldest pending entry with
-- XTRIM MINID, which frees whole listpack nodes: every entry before that one was
-- delivered (XREADGROUP '>' delivers in id order and the group starts at 0) and is no
-- longer pending, so its job is done. With nothing pending, everything up to the group's
-- last delivered entry is done. Only the finished entries after the oldest pending one
-- (jobs that finished before an older one) are deleted one by one.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV     then the stream entry ids to acknowledge
-- Returns  the number of entries acknowledged
local acked = redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
if acked == 0 then
  -- Written again, or the stream or its group is gone (Redis restarted empty): nothing
  -- of these is left to remove, and XPENDING would fail without the group.
  return 0
end
local oldest = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1)[1]
if oldest then
  redis.call('XTRIM', KEYS[1], 'MINID', oldest[1])
  local oldestMs, oldestSeq = string.match(oldest[1], '^(%d+)-(%d+)$')
  oldestMs, oldestSeq = tonumber(oldestMs), tonumber(oldestSeq)
  local after = {}
  for i = 2, #ARGV do
    local ms, seq = string.match(ARGV[i], '^(%d+)-(%d+)$')
    ms, seq = tonumber(ms), tonumber(seq)
    if ms > oldestMs or (ms == oldestMs and seq > oldestSeq) then
      after[#after + 1] = ARGV[i]
    end
  end
  if #after > 0 then
    redis.call('XDEL', KEYS[1], unpack(after))
  end
  return acked
end
for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local name, last
  for i = 1, #group, 2 do
    if group[i] == 'name' then name = group[i + 1] end
    if group[i] == 'last-delivered-id' then last = group[i + 1] end
  end
  if name == ARGV[1] then
    local ms, seq = string.match(last, '^(%d+)-(%d+)$')
    redis.call('XTRIM', KEYS[1], 'MINID', ms .. '-' .. string.format('%d', tonumber(seq) + 1))
  end
end
return acked
