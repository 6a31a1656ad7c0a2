-- Writes what a tracked job leaves behind when it starts or ends (issue 5): optionally
-- acknowledges and deletes its stream entry, releases its concurrency lease, its
-- uniqueness lock (only while this job still owns it), shortens the life of the id record
-- of an explicit id (issue 16: the id may be enqueued again a while after its job ended),
-- and records its state.
-- The state write goes first and through pcall: at maxmemory Redis refuses a growing write
-- only when it is a script's first write, and a refused one must not stop the job being
-- acknowledged and its lease and lock freed (those commands are never refused); a lost
-- state record only reads as stale.
-- KEYS[1]  the queue's stream
-- KEYS[2]  the job's state hash
-- KEYS[3]  the uniqueness lock key (ignored unless ARGV[9] is '1')
-- KEYS[4]  the concurrency lease set (ignored unless ARGV[10] is '1')
-- KEYS[5]  the job's id record (ignored when ARGV[14] is '')
-- ARGV[1]  the consumer group
-- ARGV[2]  the stream entry id to acknowledge and delete, or '' for none
-- ARGV[3]  the job id
-- ARGV[4]  the state to record, or '' to record none
-- ARGV[5]  the attempt
-- ARGV[6]  the handler's result as JSON, or ''
-- ARGV[7]  the error of a failed attempt, or ''
-- ARGV[8]  how long the state record lives (millis)
-- ARGV[9]  '1' to release the uniqueness lock
-- ARGV[10] '1' to release the concurrency lease
-- ARGV[11] the channel announcing final states, or '' when this state is not final
-- ARGV[12] when a retrying job runs again (epoch millis), or ''
-- ARGV[13] now (epoch millis)
-- ARGV[14] how long the id record stays now (millis), or '' to leave it
-- ARGV[15] the consumer that ran the job
-- Returns  1 when the state was recorded (or none was asked), 0 when Redis refused it, -1
--          when the entry to acknowledge is no longer this consumer's (nothing is written:
--          the consumer that took it over settles the job)
if ARGV[2] ~= '' and not ownsEntry(KEYS[1], ARGV[1], ARGV[15], ARGV[2]) then
  return -1
end
local recorded = 1
if ARGV[4] ~= '' then
  local written = redis.pcall('HSET', KEYS[2], 'state', ARGV[4], 'attempt', ARGV[5], 'updated', ARGV[13])
  if type(written) == 'table' and written['err'] then
    recorded = 0
  else
    if ARGV[6] ~= '' then
      redis.pcall('HSET', KEYS[2], 'result', ARGV[6])
    end
    if ARGV[7] ~= '' then
      redis.pcall('HSET', KEYS[2], 'error', ARGV[7])
    end
    if ARGV[12] ~= '' then
      redis.pcall('HSET', KEYS[2], 'due', ARGV[12])
    else
      redis.call('HDEL', KEYS[2], 'due')
    end
    redis.call('PEXPIRE', KEYS[2], ARGV[8])
  end
end
if ARGV[2] ~= '' then
  finishEntry(KEYS[1], ARGV[1], ARGV[2])
end
if ARGV[10] == '1' then
  redis.call('ZREM', KEYS[4], ARGV[3])
end
if ARGV[9] == '1' and redis.call('GET', KEYS[3]) == ARGV[3] then
  redis.call('DEL', KEYS[3])
end
if ARGV[14] ~= '' then
  redis.call('PEXPIRE', KEYS[5], ARGV[14])
end
if recorded == 1 and ARGV[4] ~= '' and ARGV[11] ~= '' then
  redis.call('PUBLISH', ARGV[11], ARGV[3])
end
return recorded
