-- Extends the leases of long-running jobs on their concurrency keys, so a job that runs
-- longer than a lease keeps its slot while its worker lives (issue 5).
-- KEYS     the concurrency lease sets, one per job
-- ARGV[1]  how long the leases last from now (millis)
-- ARGV     then the job ids, in the order of KEYS
-- Returns  the number of leases extended
local now = serverTimeMillis()
local extended = 0
for i = 1, #KEYS do
  extended = extended + redis.call('ZADD', KEYS[i], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[i + 1])
  redis.call('PEXPIRE', KEYS[i], ARGV[1])
end
return extended
