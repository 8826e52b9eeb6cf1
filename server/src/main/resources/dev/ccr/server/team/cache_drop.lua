-- Drops one cached answer that turned out unusable (docs/TEAM.md).
-- KEYS: [1] the entry, [2] the index, [3] sizes
-- ARGV: [1] the entry's name
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
local size = redis.call('HGET', KEYS[3], ARGV[1])
if size then
  redis.call('HDEL', KEYS[3], ARGV[1])
  local total = tonumber(redis.call('HGET', KEYS[3], '#total') or '0') - tonumber(size)
  if total < 0 then
    total = 0
  end
  redis.call('HSET', KEYS[3], '#total', total)
end
return 1
