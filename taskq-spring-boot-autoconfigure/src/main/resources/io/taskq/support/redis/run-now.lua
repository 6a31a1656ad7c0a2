-- Makes scheduled jobs (delayed, or waiting for a retry) due now, and wakes the queue's
-- promoters, which move them to the stream as they move any due job. Ids that are no
-- longer scheduled (promoted, cancelled) are left alone: nothing is added back.
-- KEYS[1]  the delayed sorted set
-- ARGV[1]  the wake channel
-- ARGV[2..] the job ids
-- Returns  how many of them were scheduled
local now = serverTimeMillis()
local moved = 0
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], now, ARGV[i])
    moved = moved + 1
  end
end
if moved > 0 then
  redis.call('PUBLISH', ARGV[1], string.format('%.0f', now))
end
return moved
