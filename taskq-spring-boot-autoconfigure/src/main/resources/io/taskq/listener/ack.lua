-- Acknowledges finished jobs and removes their entries, so the stream holds only jobs not
-- yet done and Redis memory returns to its baseline after any number of jobs (and acks
-- free memory when Redis is full).
-- Deleting each entry with XDEL (a seek and an edit inside its listpack) took some 40% of
-- Redis's CPU per job. Instead the stream is trimmed up to its oldest pending entry with
-- XTRIM MINID, which frees whole listpack nodes: every entry before that one was
-- delivered (XREADGROUP '>' delivers in id order and the group starts at 0) and is no
-- longer pending, so its job is done. Only the finished entries after the oldest pending
-- one (jobs that finished before an older one) are deleted one by one. With nothing left
-- pending, every entry up to the newest one acknowledged here was delivered and is done.
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
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function after(id, ms, seq)
  local idMs, idSeq = parse(id)
  return idMs > ms or (idMs == ms and idSeq > seq)
end
local oldest = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1)[1]
if oldest then
  redis.call('XTRIM', KEYS[1], 'MINID', oldest[1])
  local oldestMs, oldestSeq = parse(oldest[1])
  local later = {}
  for i = 2, #ARGV do
    if after(ARGV[i], oldestMs, oldestSeq) then
      later[#later + 1] = ARGV[i]
    end
  end
  if #later > 0 then
    redis.call('XDEL', KEYS[1], unpack(later))
  end
  return acked
end
local newest = ARGV[2]
for i = 3, #ARGV do
  local ms, seq = parse(newest)
  if after(ARGV[i], ms, seq) then
    newest = ARGV[i]
  end
end
local ms, seq = parse(newest)
redis.call('XTRIM', KEYS[1], 'MINID', string.format('%d-%d', ms, seq + 1))
return acked
