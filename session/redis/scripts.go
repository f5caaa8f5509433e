package redis

import goredis "github.com/redis/go-redis/v9"

// Every script touches exactly the keys in its KEYS, and a session's keys
// share its hash tag, so on Redis Cluster each runs on the one node that
// owns the session's slot.

// updateScript is the completion in one round trip: compare-and-set on the
// stored version, write, announce.
//
// KEYS[1] the session record. ARGV: [1] version read (decimal), [2] the new
// record, [3] DeleteAt (unix ms), [4] the notification channel, [5] the id.
//
// Returns 1 when stored (and published), -1 when the record is gone, and
// the current record when its version moved on, so the writer retries on
// it without another read. GETRANGE reads only the version in front of the
// record; Lua never decodes it.
var updateScript = goredis.NewScript(`
local head = redis.call('GETRANGE', KEYS[1], 0, 20)
if head == '' then
	return -1
end
if string.match(head, '^(%d+):') ~= ARGV[1] then
	return redis.call('GET', KEYS[1])
end
redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
`)

const (
	scriptStored = 1
	scriptGone   = -1
)
