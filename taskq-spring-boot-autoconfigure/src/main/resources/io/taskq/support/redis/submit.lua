-- Enqueues one job with controls that need writes beside the job itself (issue 5): a
-- uniqueness lock, a recorded state, an id record. Ready jobs go to the stream, delayed
-- ones to the delayed set, as enqueue.lua and schedule.lua do for plain jobs.
-- Taking the lock and adding the job is one atomic step: two producers enqueueing the
-- same key at once get one job and the same id.
-- An explicit job id holds an id record (issue 16) from now until a while after its job
-- ended (the worker's settle.lua shortens its life then; cancel too): a second enqueue of
-- the id meanwhile is reported, not added, also a caller's retry after an enqueue of
-- unknown outcome whose first copy already ran. Generated ids are random and need none. A call the client sends
-- again after a reconnect is recognised first (see sent.lua, the prelude), so a resent
-- first enqueue of an explicit id is not reported as its own duplicate; calls that added
-- nothing (a duplicate, a held key) are not recorded as done and answer the same again.
-- KEYS[1]  the queue's stream
-- KEYS[2]  the delayed sorted set
-- KEYS[3]  the delayed jobs hash
-- KEYS[4]  the uniqueness lock (ignored when ARGV[5] is '')
-- KEYS[5]  the job's state hash (ignored unless ARGV[6] is '1')
-- KEYS[6]  the job's id record (ignored when ARGV[10] is '')
-- KEYS[7]  the producer's record of calls done on this queue (sent.lua)
-- ARGV[1]  the consumer group
-- ARGV[2]  the wake channel
-- ARGV[3]  the due time (epoch millis), 0 for a ready job
-- ARGV[4]  the job id
-- ARGV[5]  how long the lock lives (millis), or '' for a job that is not unique
-- ARGV[6]  '1' to record the job's state
-- ARGV[7]  how long the state record lives (millis)
-- ARGV[8]  now (epoch millis)
-- ARGV[9]  the job's fields as JSON (for the delayed hash)
-- ARGV[10] how long the id record lives at most (millis), or '' for a generated id
-- ARGV[11] the producer's number of this call
-- ARGV[12] and on: the job's fields, alternating field and value (for the stream)
-- Returns  { outcome, job id }: 'added' (this job), 'resent' (this job, added by the
--          first send), 'duplicate' (this id is taken: see above), or 'owner'
--          and the id of the job holding the uniqueness key
local call = newCall(KEYS[7], ARGV[11])
if not call then
  return { 'resent', ARGV[4] }
end
if ARGV[10] ~= '' and redis.call('EXISTS', KEYS[6]) == 1 then
  return { 'duplicate', ARGV[4] }
end
if ARGV[5] ~= '' then
  local owner = redis.call('GET', KEYS[4])
  if owner then
    return { 'owner', owner }
  end
  redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[5])
end
if ARGV[10] ~= '' then
  redis.call('SET', KEYS[6], '1', 'PX', ARGV[10])
end
local due = tonumber(ARGV[3])
local state
if due == 0 then
  ensureGroup(KEYS[1], ARGV[1])
  redis.call('XADD', KEYS[1], '*', unpack(ARGV, 12))
  state = 'queued'
else
  local head = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  redis.call('ZADD', KEYS[2], due, ARGV[4])
  redis.call('HSET', KEYS[3], ARGV[4], ARGV[9])
  if head[2] == nil or due < tonumber(head[2]) then
    redis.call('PUBLISH', ARGV[2], ARGV[3])
  end
  state = 'scheduled'
end
if ARGV[6] == '1' then
  redis.call('HSET', KEYS[5], 'state', state, 'attempt', '0', 'updated', ARGV[8])
  if due > 0 then
    redis.call('HSET', KEYS[5], 'due', ARGV[3])
  end
  redis.call('PEXPIRE', KEYS[5], ARGV[7])
end
markSent(KEYS[7], call)
return { 'added', ARGV[4] }
