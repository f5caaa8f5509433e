package redis

import goredis "github.com/redis/go-redis/v9"

// swapScript replaces a value if it is still the one the writer read.
// KEYS: the key. ARGV: value read ("" when there was none), new value, TTL
// in ms (0: none). Returns 1 when stored, 0 when the value moved on, -1
// when a value was read but is gone.
var swapScript = goredis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if not cur then
	if ARGV[1] ~= '' then
		return -1
	end
elseif cur ~= ARGV[1] then
	return 0
end
if tonumber(ARGV[3]) > 0 then
	redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
	redis.call('SET', KEYS[1], ARGV[2])
end
return 1
`)

// createTokenScript stores a token and adds it to its subject's set, which
// lives as long as the longest of its tokens.
// KEYS: token key, subject set key. ARGV: token JSON, token id, TTL in ms.
// Returns 1 when stored, 0 when the id is taken.
var createTokenScript = goredis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3], 'NX') == false then
	return 0
end
redis.call('SADD', KEYS[2], ARGV[2])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[3]) then
	redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
return 1
`)

// deleteSubjectScript removes every token in a subject's set and the set.
// KEYS: subject set key. ARGV: the token key prefix.
var deleteSubjectScript = goredis.NewScript(`
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
	redis.call('DEL', ARGV[1] .. id)
end
redis.call('DEL', KEYS[1])
return 1
`)

const (
	swapConflict = 0
	swapStored   = 1
	swapGone     = -1
)

// maxAttempts bounds a compare-and-set loop: a writer only loses to one
// that stored in between, so the bound only stops a write storm.
const maxAttempts = 64
