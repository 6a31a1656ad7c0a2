-- Sends a dead job back to its queue's stream as a fresh job (retry count reset, and the
-- time it was first found without a handler forgotten, so it gets a full grace time
-- again), and removes it from the dead letters and their task index, atomically.
-- KEYS[1]  the dead sorted set
-- KEYS[2]  the dead jobs hash
-- KEYS[3]  the queue's stream
-- ARGV[1]  the job id
-- Returns  1 when the job was sent back, 0 when there is no such dead job
local body = redis.call('HGET', KEYS[2], ARGV[1])
if not body then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 0
end
local job = cjson.decode(body)['job']
local task = job['task']
job['retries'] = nil
job['due'] = nil
job['unhandled'] = nil
addJob(KEYS[3], job)
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if task then
  redis.call('ZREM', deadTaskIndex(KEYS[1], task), ARGV[1])
end
return 1
