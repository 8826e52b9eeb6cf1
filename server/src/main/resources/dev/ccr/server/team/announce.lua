-- Records one entry of shared state (a circuit opened or closed, an endpoint busy or not) and tells the team, in one
-- step, so an instance that starts later reads what the others heard (docs/TEAM.md).
-- KEYS: [1] the state (hash)
-- ARGV: [1] field, [2] value (empty: remove the field), [3] channel, [4] the message
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
