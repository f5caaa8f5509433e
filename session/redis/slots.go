package redis

import (
	"strconv"
	"strings"
	"sync"
)

// On Redis Cluster a script may only touch keys of one slot, and a
// session's slot is its id's. The outbox keeps its indexes (events to
// deliver, sessions to expire) in keys of that same slot, so that the
// completion script writes record, event and index at once: one index per
// slot, each named by a hash tag that hashes to it (slotTag). Without
// Cluster every key is on one server and one index serves all sessions.

const slots = 16384

// slotOf is the Cluster slot of key: CRC16 (XMODEM) of its hash tag (the
// text between the first '{' and the next '}', when not empty), or of the
// whole key, modulo 16384.
func slotOf(key string) int {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			key = key[i+1 : i+1+j]
		}
	}
	return int(crc16(key)) % slots
}

func crc16(s string) uint16 {
	var crc uint16
	for i := 0; i < len(s); i++ {
		crc ^= uint16(s[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// slotTags[n] is a short text whose slot is n: the smallest decimal number
// that hashes there (all 16384 are found below 100000).
var slotTags = sync.OnceValue(func() []string {
	tags := make([]string, slots)
	left := slots
	for n := 0; left > 0; n++ {
		t := strconv.Itoa(n)
		if s := int(crc16(t)) % slots; tags[s] == "" {
			tags[s] = t
			left--
		}
	}
	return tags
})
