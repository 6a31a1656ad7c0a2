-- Puts jobs in a queue's delayed set and announces a new earliest due time, so promoters
-- sleeping until a later time wake up early. A call the client sends again after a
-- reconnect adds nothing (see sent.lua, the prelude): its jobs may have been promoted and
-- run since.
-- KEYS[1]  the delayed sorted set (member job id, score due time in epoch millis)
-- KEYS[2]  the delayed jobs hash (job id -> JSON of the job's fields)
-- KEYS[3]  the producer's record of calls done on this queue (sent.lua)
-- ARGV[1]  the wake channel
-- ARGV[2]  the producer's number of this call
-- ARGV     then for each job: due time (epoch millis), job id, job JSON
-- Returns  the number of jobs scheduled, 0 for a call done before
local call = newCall(KEYS[3], ARGV[2])
if not call then
  return 0
end
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local earliest = head[2] and tonumber(head[2]) or nil
local soonest = nil
local scheduled = 0
for i = 3, #ARGV, 3 do
  local due = tonumber(ARGV[i])
  redis.call('ZADD', KEYS[1], due, ARGV[i + 1])
  redis.call('HSET', KEYS[2], ARGV[i + 1], ARGV[i + 2])
  if soonest == nil or due < soonest then
    soonest = due
  end
  scheduled = scheduled + 1
end
markSent(KEYS[3], call)
if soonest ~= nil and (earliest == nil or soonest < earliest) then
  redis.call('PUBLISH', ARGV[1], tostring(soonest))
end
return scheduled
