-- Enqueues one job with controls that need writes beside the job itself (issue 5): a
-- uniqueness lock and a recorded state. Ready jobs go to the stream, delayed ones to the
-- delayed set, as enqueue.lua and schedule.lua do for plain jobs.
-- Taking the lock and adding the job is one atomic step: two producers enqueueing the
-- same key at once get one job and the same id.
-- KEYS[1]  the queue's stream
-- KEYS[2]  the delayed sorted set
-- KEYS[3]  the delayed jobs hash
-- KEYS[4]  the uniqueness lock (ignored when ARGV[5] is '')
-- KEYS[5]  the job's state hash (ignored unless ARGV[6] is '1')
-- ARGV[1]  the consumer group
-- ARGV[2]  the wake channel
-- ARGV[3]  the due time (epoch millis), 0 for a ready job
-- ARGV[4]  the job id
-- ARGV[5]  how long the lock lives (millis), or '' for a job that is not unique
-- ARGV[6]  '1' to record the job's state
-- ARGV[7]  how long the state record lives (millis)
-- ARGV[8]  now (epoch millis)
-- ARGV[9]  the job's fields as JSON (for the delayed hash)
-- ARGV[10] and on: the job's fields, alternating field and value (for the stream)
-- Returns  the id of the job now holding the key: this job's, or the one enqueued before
if ARGV[5] ~= '' then
  local owner = redis.call('GET', KEYS[4])
  if owner then
    return owner
  end
  redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[5])
end
local due = tonumber(ARGV[3])
local state
if due == 0 then
  if redis.call('EXISTS', KEYS[1]) == 0 then
    redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
  else
    -- A resent command (see enqueue.lua) must not add the job twice.
    local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
    if last[1] and last[1][2][1] == 'id' and last[1][2][2] == ARGV[4] then
      return ARGV[4]
    end
  end
  redis.call('XADD', KEYS[1], '*', unpack(ARGV, 10))
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
return ARGV[4]
