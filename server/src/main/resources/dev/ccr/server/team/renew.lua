-- Requests still in flight on this instance keep their leases (docs/TEAM.md); a lease not renewed expires, so the slots
-- of an instance that died come back.
-- KEYS: [1] leases in flight (sorted set)
-- ARGV: [1] the lease's length in milliseconds, [2..] the names of the leases still held
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expiry = now + tonumber(ARGV[1])
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', expiry, ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + 1000)
return 1
