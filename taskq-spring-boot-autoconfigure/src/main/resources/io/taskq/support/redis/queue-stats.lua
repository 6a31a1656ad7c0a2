-- Reads the figures of one queue in one round trip, for gauges and health.
-- The lag (jobs not yet delivered) is the group's own figure on Redis 7; Redis 6.2 has
-- none, and Redis 7 none after some deletions, so it is then counted: the entries after
-- the last one delivered, up to ARGV[2], beyond which the stream's length less the
-- pending stands in (it also counts finished entries not yet trimmed, a few at most).
-- KEYS[1]  the queue's stream
-- KEYS[2]  the delayed sorted set
-- KEYS[3]  the dead sorted set
-- ARGV[1]  the consumer group
-- ARGV[2]  the most undelivered entries to count one by one
-- Returns  { jobs not finished (pending and undelivered), pending (in flight), delayed,
--            dead, id of the oldest undelivered entry or '', undelivered (the lag) }
local length = redis.call('XLEN', KEYS[1])
local pending = 0
local lag = length
local oldest = ''
if length > 0 then
  local ok, summary = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[1])
  if ok then
    pending = summary[1]
    for _, item in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
      local info = groupFields(item)
      if info['name'] == ARGV[1] then
        local limit = tonumber(ARGV[2])
        local undelivered = redis.call('XRANGE', KEYS[1], '(' .. info['last-delivered-id'], '+', 'COUNT', limit)
        if undelivered[1] then
          oldest = undelivered[1][1]
        end
        if type(info['lag']) == 'number' then
          lag = info['lag']
        elseif #undelivered < limit then
          lag = #undelivered
        else
          lag = length - pending
        end
      end
    end
  else
    -- No group yet: nothing was delivered, the first entry is the oldest ready one.
    local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
    if first[1] then oldest = first[1][1] end
  end
end
return { pending + lag, pending, redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3]), oldest, lag }
