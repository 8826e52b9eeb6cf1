-- Stores one cached answer for the team (docs/TEAM.md), keeping everything ccr caches in Redis under the configured
-- size: entries expire after the time to live, and the ones closest to expiring go first when more room is needed.
-- KEYS: [1] the entry, [2] the index (sorted set: entry name, score = expiry), [3] sizes (hash: entry name -> bytes,
--       '#total' -> their sum)
-- ARGV: [1] the encoded answer, [2] time to live (ms), [3] the most bytes to keep, [4] the entry's name,
--       [5] the prefix of entry keys
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ttl = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
local name = ARGV[4]
local total = tonumber(redis.call('HGET', KEYS[3], '#total') or '0')

-- Entries past their time to live are gone already: forget their sizes (a bounded number per call).
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 256)
for _, old in ipairs(expired) do
  total = total - tonumber(redis.call('HGET', KEYS[3], old) or '0')
  redis.call('HDEL', KEYS[3], old)
  redis.call('ZREM', KEYS[2], old)
end

local previous = redis.call('HGET', KEYS[3], name)
if previous then
  total = total - tonumber(previous)
end
local size = string.len(ARGV[1])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('ZADD', KEYS[2], now + ttl, name)
redis.call('HSET', KEYS[3], name, size)
total = total + size

while total > cap do
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0)
  if #oldest == 0 then
    break
  end
  local victim = oldest[1]
  total = total - tonumber(redis.call('HGET', KEYS[3], victim) or '0')
  redis.call('HDEL', KEYS[3], victim)
  redis.call('ZREM', KEYS[2], victim)
  redis.call('DEL', ARGV[5] .. victim)
end
if total < 0 then
  total = 0
end
redis.call('HSET', KEYS[3], '#total', total)
return total
