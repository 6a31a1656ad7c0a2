-- Renews the claim of jobs this consumer holds (running, or finished with the outcome not
-- yet written) so the reclaimer of another instance does not take them from a live worker.
-- Only entries this consumer still owns are touched. One pending for another consumer was
-- taken over and is reported; one no longer pending at all was just written (its outcome
-- went to Redis while this call was on its way) and is left alone. JUSTID leaves the
-- delivery counter alone.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV[2]  this consumer
-- ARGV     then the stream entry ids of the jobs held here
-- Returns  the ids of those entries another consumer holds now
local lost = {}
for i = 3, #ARGV do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)[1]
  if pending and pending[2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
  elseif pending then
    lost[#lost + 1] = ARGV[i]
  end
end
return lost
