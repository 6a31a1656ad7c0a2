-- Takes over jobs left pending longer than the visibility timeout (their consumer crashed,
-- was killed, or lost its connection), scanning the group's pending list from a cursor so
-- entries deep in it are reached even while the oldest belong to live workers, and reports
-- how often each was delivered, so a job that keeps killing its worker can be dead-lettered
-- instead of looping forever.
-- Entries this instance holds (ARGV[7] on) are left alone: claiming them would raise their
-- delivery count, which is read as the attempt number.
-- An entry delivered twice or more without finishing (a suspect: each consumer that took
-- it died) is claimed only when ARGV[6] allows, and then only one: a suspect runs while no
-- other suspect runs on that instance, so the job that kills its workers dies alone, and
-- the jobs that happened to run beside it once stop sharing its crashes.
-- At the start of a scan, consumers that hold no job and have not been seen for twice the
-- visibility timeout are removed from the group: crashed instances would otherwise stay
-- listed forever. A live one reads at least every sixth of that time; one removed by
-- mistake (paused long) is created again by its next read, and held nothing to lose.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV[2]  the consumer claiming the jobs
-- ARGV[3]  the minimum idle time in millis (the visibility timeout)
-- ARGV[4]  the most jobs to claim
-- ARGV[5]  the cursor: the last entry id scanned, '0-0' for the start of the pending list
-- ARGV[6]  '1' if a suspect may be claimed, else '0'
-- ARGV     then the entry ids this instance holds
-- Returns  { next cursor ('0-0' when the scan is complete), { entry id, fields, delivery
--          count } for each claimed entry that still exists, 1 if a suspect was left for
--          later else 0, { consumers removed } }
if redis.call('EXISTS', KEYS[1]) == 0 then
  -- No stream yet (or lost with the data): nothing to take over; the read recreates it.
  return { '0-0', {}, 0, {} }
end
local removed = {}
if ARGV[5] == '0-0' then
  for _, item in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
    local consumer = groupFields(item)
    if consumer['name'] ~= ARGV[2] and consumer['pending'] == 0
        and consumer['idle'] > 2 * tonumber(ARGV[3]) then
      redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], consumer['name'])
      removed[#removed + 1] = consumer['name']
    end
  end
end
local held = {}
for i = 7, #ARGV do
  held[ARGV[i]] = true
end
local limit = tonumber(ARGV[4])
local suspectAllowed = ARGV[6] == '1'
local start = ARGV[5] == '0-0' and '-' or '(' .. ARGV[5]
-- Held entries may be among the idle ones: scan past them.
local scan = limit + #ARGV - 6
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], 'IDLE', ARGV[3], start, '+', scan)
local ids, deliveries = {}, {}
local suspectLeft = 0
local cursor = '0-0'
for i, entry in ipairs(pending) do
  local id, count = entry[1], entry[4]
  if #ids == limit then
    break
  end
  if not held[id] then
    if count < 2 or suspectAllowed then
      suspectAllowed = suspectAllowed and count < 2
      ids[#ids + 1] = id
      deliveries[id] = count + 1
    else
      suspectLeft = 1
    end
  end
  if i == scan then
    cursor = id
  end
end
if #ids == limit and #pending > 0 then
  cursor = ids[#ids]
end
local result = {}
if #ids > 0 then
  for _, entry in ipairs(redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], unpack(ids))) do
    -- Redis 6.2 answers nil (false here) for an entry deleted from the stream while
    -- pending; Redis 7 leaves such entries out and removes them from the pending list.
    if entry and entry[2] then
      result[#result + 1] = { entry[1], entry[2], deliveries[entry[1]] }
    end
  end
end
return { cursor, result, suspectLeft, removed }
