-- A request gives its slot back and says what it really used (docs/TEAM.md), as LocalLimiter's permits do: an
-- estimate that was too high is corrected in the bucket it was counted in (if still in the window); more than
-- estimated (the output, mostly) counts now.
-- KEYS: [1] tokens per bucket (hash), [2] leases in flight (sorted set)
-- ARGV: [1] the lease's name, [2] the bucket the request was counted in, [3] real tokens minus the estimate
redis.call('ZREM', KEYS[2], ARGV[1])
local delta = tonumber(ARGV[3])
if delta < 0 then
  if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then
    redis.call('HINCRBY', KEYS[1], ARGV[2], delta)
  end
elseif delta > 0 then
  local time = redis.call('TIME')
  local current = math.floor((tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)) / 1000)
  redis.call('HINCRBY', KEYS[1], current, delta)
  redis.call('PEXPIRE', KEYS[1], 61000)
end
return 1
