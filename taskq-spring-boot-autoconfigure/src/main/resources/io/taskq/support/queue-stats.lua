-- Reads the figures of one queue in one round trip, for gauges and health.
-- KEYS[1]  the queue's stream
-- KEYS[2]  the delayed sorted set
-- KEYS[3]  the dead sorted set
-- ARGV[1]  the consumer group
-- Returns  { stream length, pending (in flight), delayed, dead,
--            id of the oldest undelivered entry or '' }
local length = redis.call('XLEN', KEYS[1])
local pending = 0
local oldest = ''
if length > 0 then
  local ok, summary = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[1])
  if ok then
    pending = summary[1]
    local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
    for _, group in ipairs(groups) do
      local name, lastDelivered
      for i = 1, #group, 2 do
        if group[i] == 'name' then name = group[i + 1] end
        if group[i] == 'last-delivered-id' then lastDelivered = group[i + 1] end
      end
      if name == ARGV[1] then
        local next = redis.call('XRANGE', KEYS[1], '(' .. lastDelivered, '+', 'COUNT', 1)
        if next[1] then oldest = next[1][1] end
      end
    end
  else
    -- No group yet: nothing was delivered, the first entry is the oldest ready one.
    local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
    if first[1] then oldest = first[1][1] end
  end
end
return { length, pending, redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3]), oldest }
