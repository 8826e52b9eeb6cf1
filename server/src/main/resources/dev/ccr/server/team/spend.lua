-- A finished request's cost counts against its client's daily budget for the whole team (docs/TEAM.md); the others
-- hear the new total at once.
-- KEYS: [1] the day's spend per client (hash)
-- ARGV: [1] client, [2] US dollars, [3] how long the day's counts are kept (ms), [4] channel, [5] this instance,
--       [6] the day (YYYY-MM-DD)
local total = redis.call('HINCRBYFLOAT', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
redis.call('PUBLISH', ARGV[4], cjson.encode({kind = 'spend', from = ARGV[5], day = ARGV[6], client = ARGV[1],
  total = tonumber(total)}))
return total
