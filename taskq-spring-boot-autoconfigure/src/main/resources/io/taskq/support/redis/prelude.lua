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

-- Adds a job, given as a table of its fields (decoded from the JSON kept for delayed and
-- dead jobs), to a stream as a new entry.
local function addJob(stream, job)
  local fields = {}
  for field, value in pairs(job) do
    fields[#fields + 1] = field
    fields[#fields + 1] = value
  end
  return redis.call('XADD', stream, '*', unpack(fields))
end

-- Stream ids compared as numbers: milliseconds, then sequence. Milliseconds since 1970 are
-- far below 2^53, so Lua's doubles hold them exactly.
local function parseId(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end

local function idBefore(a, b)
  local ams, aseq = parseId(a)
  local bms, bseq = parseId(b)
  return ams < bms or (ams == bms and aseq < bseq)
end

-- A group's fields from one XINFO GROUPS item (a flat list of names and values).
local function groupFields(item)
  local fields = {}
  for i = 1, #item, 2 do
    fields[item[i]] = item[i + 1]
  end
  return fields
end

-- Removes a stream's finished entries with XTRIM MINID, which frees whole listpack nodes.
-- A group has finished every entry before its oldest pending one, or, with none pending,
-- every entry up to the last one delivered to it (XREADGROUP '>' delivers in id order).
-- The trim goes up to the lowest of those over every group of the stream, so an entry
-- another group (an audit reader, a CDC tool) has not finished stays. Every script that
-- finishes jobs calls this, so finished entries go when the queue goes idle too, whichever
-- way its last job ended, and whichever consumer (a dead one included) acknowledged them.
-- Returns the oldest entry still pending in `group` ('' if none), and the number of groups.
local function trimFinished(stream, group)
  if redis.call('EXISTS', stream) == 0 then
    return '', 0
  end
  local floor
  local oldest = ''
  local groups = redis.call('XINFO', 'GROUPS', stream)
  for _, item in ipairs(groups) do
    local info = groupFields(item)
    local groupFloor
    if info['pending'] > 0 then
      groupFloor = redis.call('XPENDING', stream, info['name'], '-', '+', 1)[1][1]
      if info['name'] == group then
        oldest = groupFloor
      end
    else
      local ms, seq = parseId(info['last-delivered-id'])
      groupFloor = string.format('%d-%d', ms, seq + 1)
    end
    if floor == nil or idBefore(groupFloor, floor) then
      floor = groupFloor
    end
  end
  if floor then
    redis.call('XTRIM', stream, 'MINID', floor)
  end
  return oldest, #groups
end

-- Acknowledges one entry whose job is done here (succeeded, retried elsewhere, dead) and
-- removes what is finished: the entry itself, unless another group still needs it.
local function finishEntry(stream, group, entryId)
  redis.call('XACK', stream, group, entryId)
  local _, groups = trimFinished(stream, group)
  if groups == 1 then
    redis.call('XDEL', stream, entryId)
  end
end


-- The dead letters' per-task index of a job: a sorted set beside the dead set, under the
-- same hash tag (so in the same Cluster slot), scored like it by time of death.
local function deadTaskIndex(deadSet, task)
  return deadSet .. ':task:' .. task
end

-- Removes dead jobs from the dead set, their records and their task index.
local function removeDead(deadSet, deadJobs, ids)
  for _, id in ipairs(ids) do
    local body = redis.call('HGET', deadJobs, id)
    if body then
      local ok, record = pcall(cjson.decode, body)
      if ok and type(record['job']) == 'table' and record['job']['task'] then
        redis.call('ZREM', deadTaskIndex(deadSet, record['job']['task']), id)
      end
      redis.call('HDEL', deadJobs, id)
    end
    redis.call('ZREM', deadSet, id)
  end
  return #ids
end
