-- Releases a uniqueness lock, only while the given job still owns it.
-- KEYS[1]  the uniqueness lock
-- ARGV[1]  the job id
-- Returns  1 when released, 0 when another job (or none) held it
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
