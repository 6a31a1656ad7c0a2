-- Keeps the claim of long-running jobs fresh so the reclaimer of another instance does not
-- take them from a live worker. Only entries this consumer still owns are touched: one
-- already reclaimed elsewhere stays there. JUSTID leaves the delivery counter alone.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV[2]  this consumer
-- ARGV     then the stream entry ids of jobs running here
-- Returns  the number of entries touched
local touched = 0
for i = 3, #ARGV do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if pending[1] and pending[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
    touched = touched + 1
  end
end
return touched
