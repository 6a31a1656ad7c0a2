-- Prelude of the enqueue scripts: recognises a call the client sends again (issue 16).
-- Lettuce writes a command again after a reconnect when the reply to the first write was
-- lost, and Redis may well have run the first: the job must not be added twice, whatever
-- ran, was trimmed or was written by others in between. Each producer (one JobClient)
-- numbers its calls per queue, 1, 2, 3..., and the queue keeps a small record per
-- producer of the numbers done: the highest, then a ring of SENT_WINDOW bits, bit
-- (n mod SENT_WINDOW) for call n. Threads share one multiplexed connection, so numbers may
-- arrive out of order; the ring tells apart each of the last SENT_WINDOW numbers, far
-- more than one producer's calls in flight at once (a resend follows its first send
-- within the calls written with it). A number older than the ring counts as new: a first
-- arrival held up that long is likelier than such a late resend, and a job must never be
-- lost on a guess.
-- Why this and not a record per job: its memory is per producer and queue (736 bytes by
-- MEMORY USAGE, gone a day after the producer's last call), not per job, and it costs no
-- round trip, only two commands inside the script (read the highest; set it with the
-- bit), and a third now and then (extend the life). Explicit ids also get an id record (submit.lua), which a
-- caller's own retry needs: a retry is a new call, a resend is the same call.
local SENT_WINDOW = 4096
local SENT_TTL = 86400000
local SENT_TTL_STEP = 1024
-- A producer's call as the record knows it: its number (from the script's argument), or nil
-- if that call was done before, and the script then returns at once having added nothing.
-- The highest number done is the record's first 48 bits; the ring starts at bit 64.
local function newCall(key, seqArg)
  local seq = tonumber(seqArg)
  local high = redis.call('BITFIELD_RO', key, 'GET', 'u48', 0)[1]
  if seq <= high and seq > high - SENT_WINDOW and redis.call('GETBIT', key, 64 + seq % SENT_WINDOW) == 1 then
    return nil
  end
  return { seq = seq, high = high }
end
-- Records a call from newCall as done; clears the bits the ring reuses for the numbers it
-- skipped.
local function markSent(key, call)
  local seq, high = call.seq, call.high
  if seq > high then
    -- A new record gets its full size at once: grown bit by bit it would hold spare room.
    if high == 0 or seq - high >= SENT_WINDOW then
      redis.call('SETRANGE', key, 8, string.rep('\0', SENT_WINDOW / 8))
    else
      for skipped = high + 1, seq - 1 do
        redis.call('SETBIT', key, 64 + skipped % SENT_WINDOW, 0)
      end
    end
    redis.call('BITFIELD', key, 'SET', 'u48', 0, seq, 'SET', 'u1', 64 + seq % SENT_WINDOW, 1)
  else
    redis.call('SETBIT', key, 64 + seq % SENT_WINDOW, 1)
  end
  -- The life is extended when the record is made and every SENT_TTL_STEP calls, not on
  -- every call: a record that lapses between two is made again, and a resend that late
  -- (a day) is not one.
  if high == 0 or seq % SENT_TTL_STEP == 0 then
    redis.call('PEXPIRE', key, SENT_TTL)
  end
end
