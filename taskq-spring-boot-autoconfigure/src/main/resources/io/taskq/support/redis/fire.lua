-- Fires one occurrence of a recurring job. Every instance runs this at every occurrence;
-- the script is atomic, so only the first call for an occurrence claims it: the schedule's
-- last fired occurrence only ever moves forward, and a call for an occurrence at or before
-- it does nothing. No instance leads, so none can die holding the lead; a call that Lettuce
-- resends after a reconnect finds its occurrence claimed and does nothing either.
-- A claimed occurrence is enqueued unless the schedule is paused (so resuming runs no
-- backlog) or it is late (a misfire: every instance was down or cut off from Redis) under
-- the 'skip' policy. A late occurrence of a schedule Redis has no state for is recorded
-- only: a new schedule's past is not a misfire.
-- KEYS[1]  the schedule's state hash (fields 'last': epoch millis, 'paused': present if so)
-- KEYS[2]  the queue's stream
-- ARGV[1]  the occurrence, epoch millis
-- ARGV[2]  '1' if the occurrence is late (older than the misfire threshold), else '0'
-- ARGV[3]  the misfire policy, 'skip' or 'run-once'
-- ARGV[4]  the consumer group, created with the stream (see enqueue.lua for why)
-- ARGV[5]  'id', ARGV[6] the job id, then the job's other fields, alternating field and value
-- Returns  0 claimed earlier, 1 enqueued, 2 enqueued late (run-once), 3 missed and skipped,
--          4 paused, 5 late for a schedule without state: recorded only
local occurrence = tonumber(ARGV[1])
local state = redis.call('HMGET', KEYS[1], 'last', 'paused')
local last = state[1] and tonumber(state[1])
if last and last >= occurrence then
  return 0
end
redis.call('HSET', KEYS[1], 'last', ARGV[1])
if state[2] then
  return 4
end
local late = ARGV[2] == '1'
if late and not last then
  return 5
end
if late and ARGV[3] ~= 'run-once' then
  return 3
end
ensureGroup(KEYS[2], ARGV[4])
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 5))
if late then
  return 2
end
return 1
