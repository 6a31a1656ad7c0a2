-- Pieces shared by taskq's scripts, written once: TaskqScript puts this text before every
-- script it loads. Only local functions, so a script that uses none of them pays nothing
-- but their definition.

-- Whether an entry of a stream is pending in a group and delivered to this consumer: a
-- script that settles a job acts only then, so an entry another consumer took over (the
-- claim lapsed) is left to that consumer, and a job is never settled twice.
local function ownsEntry(stream, group, consumer, entryId)
  local pending = redis.call('XPENDING', stream, group, entryId, entryId, 1)
  return pending[1] ~= nil and pending[1][2] == consumer
end

-- The server's clock in epoch millis: every instance shares it, whatever their own say.
local function serverTimeMillis()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Creates a queue's consumer group, with its stream, at id 0, so jobs added before any
-- worker existed are delivered too. Only when the stream is missing: a stream that exists
-- has its group (both are made here, together).
local function ensureGroup(stream, group)
  if redis.call('EXISTS', stream) == 0 then
    redis.call('XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM')
    return true
  end
  return false
end

