-- Deletes dead jobs for good: from the dead set, their records and their task index.
-- KEYS[1]  the dead sorted set
-- KEYS[2]  the dead jobs hash
-- ARGV     the job ids
-- Returns  how many of them were dead jobs
local found = {}
for _, id in ipairs(ARGV) do
  if redis.call('ZSCORE', KEYS[1], id) then
    found[#found + 1] = id
  end
end
return removeDead(KEYS[1], KEYS[2], found)
