-- Claims jobs left pending longer than the visibility timeout (their consumer crashed,
-- was killed, or lost its connection) and reports how often each was delivered, so a job
-- that keeps killing its worker can be dead-lettered instead of looping forever.
-- The caller resumes from the returned cursor, so entries deep in the pending list are
-- reached even while the oldest ones belong to live workers.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV[2]  the consumer claiming the jobs
-- ARGV[3]  the minimum idle time in millis (the visibility timeout)
-- ARGV[4]  the most jobs to claim
-- ARGV[5]  the cursor to start from ('0-0' for the start of the pending list)
-- Returns  { next cursor ('0-0' when the scan is complete), { entry id, fields,
--          delivery count } for each claimed entry that still exists }
local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[5], 'COUNT', ARGV[4])
local result = {}
for _, entry in ipairs(claimed[2]) do
  -- Redis 6.2 answers nil (false here) for an entry deleted from the stream while pending;
  -- Redis 7 leaves such entries out and removes them from the pending list itself.
  if entry and entry[2] then
    local id = entry[1]
    local pending = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
    local deliveries = pending[1] and pending[1][4] or 1
    result[#result + 1] = { id, entry[2], deliveries }
  end
end
return { claimed[1], result }
