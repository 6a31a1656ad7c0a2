-- Moves a queue's delayed jobs and retries earlier, for tests that make time pass: every
-- due time goes ARGV[1] ms earlier (or, with -1, every job becomes due now), and the
-- queue's promoters are woken with the new earliest due time, so the real promotion
-- script moves what is due into the stream.
-- KEYS[1]  the queue's delayed sorted set (member job id, score due time in epoch millis)
-- ARGV[1]  milliseconds to move every due time earlier, or -1 to make every job due now
-- ARGV[2]  the queue's wake channel
-- Returns  the number of the queue's delayed jobs due now
local now = serverTimeMillis()
local shift = tonumber(ARGV[1])
local jobs = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local due = 0
for i = 1, #jobs, 2 do
  local at = tonumber(jobs[i + 1])
  local moved
  if shift < 0 then
    moved = math.min(at, now)
  else
    moved = at - shift
  end
  redis.call('ZADD', KEYS[1], string.format('%d', moved), jobs[i])
  if moved <= now then
    due = due + 1
  end
end
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if head[2] then
  -- As an integer: a score's own text may be in exponent form, which the promoter cannot read.
  redis.call('PUBLISH', ARGV[2], string.format('%d', tonumber(head[2])))
end
return due
