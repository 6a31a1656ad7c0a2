-- Claims jobs left pending longer than the visibility timeout (their consumer crashed,
-- was killed, or lost its connection) and reports how often each was delivered, so a job
-- that keeps killing its worker can be dead-lettered instead of looping forever.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV[2]  the consumer claiming the jobs
-- ARGV[3]  the minimum idle time in millis (the visibility timeout)
-- ARGV[4]  the most jobs to claim
-- Returns  a list of { entry id, fields, delivery count } for entries that still exist
local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], '0-0', 'COUNT', ARGV[4])
local result = {}
for _, entry in ipairs(claimed[2]) do
  local id = entry[1]
  local fields = entry[2]
  if fields then
    local pending = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
    local deliveries = pending[1] and pending[1][4] or 1
    result[#result + 1] = { id, fields, deliveries }
  else
    -- Redis 6.2 returns deleted entries with no fields; nothing is left to run.
    redis.call('XACK', KEYS[1], ARGV[1], id)
  end
end
return result
