-- One request asks for a slot under a key's limits, atomically for every instance of the team (docs/TEAM.md).
-- The same rules as LocalLimiter: a minute is sixty one-second buckets; requests in flight are leases that expire
-- unless renewed, so the slots of an instance that died come back.
-- KEYS: [1] requests per bucket (hash), [2] tokens per bucket (hash), [3] leases in flight (sorted set, score = expiry)
-- ARGV: [1] maxConcurrent, [2] requestsPerMinute, [3] tokensPerMinute (0: no limit), [4] the request's tokens,
--       [5] the lease's name, [6] the lease's length in milliseconds
-- Requests in flight are counted (as leases) only under a maxConcurrent limit.
-- Returns {0, bucket, in flight} when admitted, or {limit, milliseconds to wait (-1: never fits), in flight} where
-- limit is 1 (maxConcurrent), 2 (requestsPerMinute) or 3 (tokensPerMinute).
local BUCKET_MS = 1000
local BUCKETS = 60
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local current = math.floor(now / BUCKET_MS)
local oldest = current - BUCKETS + 1
local maxConcurrent = tonumber(ARGV[1])
local perMinute = tonumber(ARGV[2])
local tokensPerMinute = tonumber(ARGV[3])
local tokens = tonumber(ARGV[4])
local lease = tonumber(ARGV[6])

-- The buckets still in the window, and their sum; older buckets are dropped.
local function window(key)
  local flat = redis.call('HGETALL', key)
  local counts, sum, stale = {}, 0, {}
  for i = 1, #flat, 2 do
    local bucket = tonumber(flat[i])
    if bucket < oldest then
      stale[#stale + 1] = flat[i]
    else
      local count = tonumber(flat[i + 1])
      counts[bucket] = count
      sum = sum + count
    end
  end
  if #stale > 0 then
    redis.call('HDEL', key, unpack(stale))
  end
  return counts, sum
end

-- How long until sum + need fits in limit, as SlidingWindow.millisUntilFits answers it.
local function untilFits(counts, sum, need, limit)
  if need > limit then
    return -1
  end
  if sum + need <= limit then
    return 0
  end
  for bucket = oldest, current do
    sum = sum - (counts[bucket] or 0)
    if sum + need <= limit then
      return (bucket + BUCKETS) * BUCKET_MS - now
    end
  end
  return (current + BUCKETS) * BUCKET_MS - now
end

local inFlight = 0
if maxConcurrent > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  inFlight = redis.call('ZCARD', KEYS[3])
  if inFlight >= maxConcurrent then
    return {1, 1000, inFlight}
  end
end
if perMinute > 0 then
  local counts, sum = window(KEYS[1])
  local wait = untilFits(counts, sum, 1, perMinute)
  if wait > 0 then
    return {2, wait, inFlight}
  end
end
if tokensPerMinute > 0 then
  local counts, sum = window(KEYS[2])
  local wait = untilFits(counts, sum, tokens, tokensPerMinute)
  if wait ~= 0 then
    return {3, wait, inFlight}
  end
end

if maxConcurrent > 0 then
  redis.call('ZADD', KEYS[3], now + lease, ARGV[5])
  redis.call('PEXPIRE', KEYS[3], lease + BUCKET_MS)
end
local keep = BUCKETS * BUCKET_MS + BUCKET_MS
if perMinute > 0 then
  redis.call('HINCRBY', KEYS[1], current, 1)
  redis.call('PEXPIRE', KEYS[1], keep)
end
if tokensPerMinute > 0 and tokens > 0 then
  redis.call('HINCRBY', KEYS[2], current, tokens)
  redis.call('PEXPIRE', KEYS[2], keep)
end
return {0, current, inFlight + 1}
