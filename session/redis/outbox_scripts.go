package redis

import goredis "github.com/redis/go-redis/v9"

// The outbox's scripts. Each touches the keys in its KEYS only: a session's
// record and its slot's indexes (slots.go), one slot on Cluster.

// createIndexedScript is Create for a pending session: the record, and
// its id in the slot's list of sessions to expire.
//
// KEYS[1] the record, KEYS[2] the expiries index. ARGV: [1] the record,
// [2] DeleteAt (unix ms), [3] ExpiresAt (unix ms), [4] the id.
// Returns 1 when stored, 0 when the id is taken.
var createIndexedScript = goredis.NewScript(`
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PXAT', ARGV[2]) then
	return 0
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return 1
`)

// emitScript is updateScript (scripts.go) that also stores the events of
// the update and keeps the expiries index: compare-and-set on the version,
// write the record, queue each event, announce.
//
// KEYS[1] the record, KEYS[2] the events index (id → due, unix ms),
// KEYS[3] the events (id → event), KEYS[4] the expiries index. ARGV: [1]
// version read, [2] the new record, [3] DeleteAt, [4] the notification
// channel, [5] the session id, [6] now (unix ms: the events' due time),
// [7] "1" when the new record is pending (it stays in the expiries
// index), then pairs of event id and event.
//
// Returns 1 when stored, -1 when the record is gone (it leaves the
// expiries index), and the current record when its version moved on.
var emitScript = goredis.NewScript(`
local head = redis.call('GETRANGE', KEYS[1], 0, 20)
if head == '' then
	redis.call('ZREM', KEYS[4], ARGV[5])
	return -1
end
if string.match(head, '^(%d+):') ~= ARGV[1] then
	return redis.call('GET', KEYS[1])
end
redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
if ARGV[7] ~= '1' then
	redis.call('ZREM', KEYS[4], ARGV[5])
end
for i = 8, #ARGV, 2 do
	redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
	redis.call('ZADD', KEYS[2], ARGV[6], ARGV[i])
end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
`)

// claimScript leases up to n due events of one slot.
//
// KEYS[1] the events index, KEYS[2] the events. ARGV: [1] now, [2] the
// lease's end (unix ms), [3] n. Returns {id, event, id, event, …} and the
// slot's earliest due time after the claim (empty when none is left). An
// index entry without its event (never written so by the scripts here,
// but the keys are shared with operators) is dropped.
var claimScript = goredis.NewScript(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
	local ev = redis.call('HGET', KEYS[2], id)
	if ev then
		redis.call('ZADD', KEYS[1], ARGV[2], id)
		out[#out + 1] = id
		out[#out + 1] = ev
	else
		redis.call('ZREM', KEYS[1], id)
	end
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {out, first[2] or ''}
`)

// ackScript removes events of one slot: KEYS[1] the events index, KEYS[2]
// the events, ARGV their ids.
var ackScript = goredis.NewScript(`
redis.call('ZREM', KEYS[1], unpack(ARGV))
redis.call('HDEL', KEYS[2], unpack(ARGV))
return 1
`)
