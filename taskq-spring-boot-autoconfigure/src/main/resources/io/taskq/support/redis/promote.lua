-- Moves due jobs from a queue's delayed set into its stream. Atomic, so any number of
-- promoters may run it at once: each due job is promoted exactly once.
-- Due times are compared with the server's clock, which every instance shares.
-- KEYS[1]  the delayed sorted set (member job id, score due time in epoch millis)
-- KEYS[2]  the delayed jobs hash (job id -> JSON of the job's fields)
-- KEYS[3]  the queue's stream
-- ARGV[1]  the most jobs to promote in this call
-- ARGV[2]  the consumer group, created with the stream (see enqueue.lua for why)
-- Returns  { jobs promoted, next due time or -1 when none is left, server time } (millis)
local now = serverTimeMillis()
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[1]))
local promoted = 0
if #ids > 0 then
  ensureGroup(KEYS[3], ARGV[2])
end
for i = 1, #ids, 2 do
  local id = ids[i]
  local body = redis.call('HGET', KEYS[2], id)
  if body then
    local job = cjson.decode(body)
    job['due'] = ids[i + 1]
    addJob(KEYS[3], job)
    redis.call('HDEL', KEYS[2], id)
    promoted = promoted + 1
  end
  redis.call('ZREM', KEYS[1], id)
end
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local nextDue = head[2] and tonumber(head[2]) or -1
return { promoted, nextDue, now }
