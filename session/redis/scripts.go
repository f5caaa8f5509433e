package redis

import goredis "github.com/redis/go-redis/v9"

// createScript stores a new session unless its id or state is taken.
// KEYS: session key, state key. ARGV: session JSON, id, DeleteAt (unix ms).
// Returns 1 when stored, 0 when a key exists.
var createScript = goredis.NewScript(`
if redis.call('EXISTS', KEYS[1], KEYS[2]) > 0 then
	return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'PXAT', ARGV[3])
return 1
`)

// updateScript replaces a session if its stored version is still the one
// the writer read. KEYS: session key, state key. ARGV: version read, new
// session JSON, id, DeleteAt (unix ms). Returns 1 when stored, 0 when the
// version moved on, -1 when the session is gone.
var updateScript = goredis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if not cur then
	return -1
end
if cjson.decode(cur)['version'] ~= tonumber(ARGV[1]) then
	return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[4])
redis.call('SET', KEYS[2], ARGV[3], 'PXAT', ARGV[4])
return 1
`)

const (
	scriptConflict = 0
	scriptStored   = 1
	scriptGone     = -1
)
