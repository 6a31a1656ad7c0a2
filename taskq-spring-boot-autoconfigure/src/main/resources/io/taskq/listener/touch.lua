-- Renews the claim of jobs this consumer holds (running, or finished with the outcome not
-- yet written) so the reclaimer of another instance does not take them from a live worker.
-- Only entries this consumer still owns are touched: one already taken over elsewhere stays
-- there, and is reported. JUSTID leaves the delivery counter alone.
-- KEYS[1]  the queue's stream
-- ARGV[1]  the consumer group
-- ARGV[2]  this consumer
-- ARGV     then the stream entry ids of the jobs held here
-- Returns  the ids of those entries this consumer no longer holds
local lost = {}
for i = 3, #ARGV do
  if ownsEntry(KEYS[1], ARGV[1], ARGV[2], ARGV[i]) then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
  else
    lost[#lost + 1] = ARGV[i]
  end
end
return lost
