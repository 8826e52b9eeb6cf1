-- Adds a finished request to the team's daily totals, read by 'ccr stats' on a team server (docs/TEAM.md). The same
-- counts as the usage database's daily table, per endpoint, model and client.
-- KEYS: [1] the day's totals (hash: "endpoint<TAB>model<TAB>client<TAB>count" -> value)
-- ARGV: [1] "endpoint<TAB>model<TAB>client", [2] requests, [3] errors, [4] input, [5] output, [6] cache read,
--       [7] cache creation, [8] cache hits, [9] cost in US dollars, [10] unpriced, [11] estimated (priced from the
--       model's family), [12] started at (epoch ms), [13] how long the day's totals are kept (ms)
local group = ARGV[1] .. '\t'
local names = {'requests', 'errors', 'input', 'output', 'cacheRead', 'cacheCreation', 'cacheHits'}
for i, name in ipairs(names) do
  local value = tonumber(ARGV[i + 1])
  if value ~= 0 then
    redis.call('HINCRBY', KEYS[1], group .. name, value)
  end
end
if tonumber(ARGV[9]) ~= 0 then
  redis.call('HINCRBYFLOAT', KEYS[1], group .. 'cost', ARGV[9])
end
if tonumber(ARGV[10]) ~= 0 then
  redis.call('HINCRBY', KEYS[1], group .. 'unpriced', ARGV[10])
end
if tonumber(ARGV[11]) ~= 0 then
  redis.call('HINCRBY', KEYS[1], group .. 'estimated', ARGV[11])
end
local last = tonumber(redis.call('HGET', KEYS[1], group .. 'last') or '0')
if tonumber(ARGV[12]) > last then
  redis.call('HSET', KEYS[1], group .. 'last', ARGV[12])
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[13]))
return 1
