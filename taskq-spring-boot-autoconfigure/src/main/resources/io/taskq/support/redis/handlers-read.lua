-- Reads which tasks instances handle on a queue, with the server time, so the age of each
-- entry is measured on the clock that wrote it rather than on the reader's.
-- KEYS[1]  the queue's handlers hash
-- Returns  { server time (epoch millis), then task, 'written-at consumer', task, ... }
local result = { serverTimeMillis() }
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries do
  result[#result + 1] = entries[i]
end
return result
