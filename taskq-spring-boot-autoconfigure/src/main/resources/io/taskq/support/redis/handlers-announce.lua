-- Says that this instance handles tasks of a queue (issue 16): each task's entry becomes
-- the server time and this consumer's name, so an instance that fetches a job it has no
-- handler for can tell whether another instance has one. Entries nobody wrote for ARGV[2]
-- (tasks renamed or dropped) are deleted, and the whole hash expires after as long, so it
-- holds only the tasks handled lately: one short entry each.
-- KEYS[1]  the queue's handlers hash
-- ARGV[1]  this consumer
-- ARGV[2]  how long an entry is kept without a write (millis)
-- ARGV     then the tasks this instance handles on the queue
-- Returns  the number of entries deleted
local now = serverTimeMillis()
local value = now .. ' ' .. ARGV[1]
for i = 3, #ARGV do
  redis.call('HSET', KEYS[1], ARGV[i], value)
end
local keep = tonumber(ARGV[2])
local entries = redis.call('HGETALL', KEYS[1])
local deleted = 0
for i = 1, #entries, 2 do
  local at = tonumber(string.match(entries[i + 1], '^%d+'))
  if at == nil or now - at > keep then
    redis.call('HDEL', KEYS[1], entries[i])
    deleted = deleted + 1
  end
end
redis.call('PEXPIRE', KEYS[1], keep)
return deleted
