-- Counts a queue's delayed jobs and retries that are due by the server's clock (and so
-- about to be promoted into the stream), for tests that wait until a queue is idle.
-- KEYS[1]  the queue's delayed sorted set (member job id, score due time in epoch millis)
-- Returns  the number of jobs due now
return redis.call('ZCOUNT', KEYS[1], '-inf', serverTimeMillis())
