package redis

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// A stored record is "<version>:b" followed by the session in a compact
// binary form. The version leads in decimal so the scripts read it with
// GETRANGE, without loading or decoding the record in Lua; "b" names this
// encoding, so another one can follow without a migration.
//
// The binary form is the session's fields in declaration order: strings and
// byte slices as uvarint length and bytes, times as a presence byte then
// varint Unix seconds and uvarint nanoseconds (UTC), pointers as a presence
// byte, slices as uvarint count+1 (0 is nil, so nil and empty survive).
// Claims (a credential's credentialSubject) are the JSON values
// encoding/json decodes them to (maps, slices, strings, float64, bools,
// nil), each a tag byte and its content; anything else is kept as a JSON
// text, which reads back as encoding/json would have read it.
//
// It replaced encoding/json for the whole record, which cost a reflective
// decode of every field and five RFC 3339 parses on every read
// (docs/performance.md).

const codecBinary = 'b'

// maxHead is the longest "<version>:" (19 digits of int64 and the colon).
const maxHead = 20

func encode(s session.Session) []byte {
	b := make([]byte, 0, 256)
	b = strconv.AppendInt(b, s.Version, 10)
	b = append(b, ':', codecBinary)
	b = appendString(b, s.ID)
	b = appendString(b, s.State)
	b = appendString(b, s.Nonce)
	b = appendBytes(b, s.StatusTokenHash)
	b = appendString(b, s.DefinitionID)
	b = appendString(b, string(s.Flow))
	b = appendString(b, s.ResponseMode)
	b = appendTime(b, s.CreatedAt)
	b = appendTime(b, s.ExpiresAt)
	b = appendTime(b, s.DeleteAt)
	b = appendString(b, string(s.Status))
	if s.Error == nil {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = appendString(b, s.Error.Code)
		b = appendString(b, s.Error.Description)
		b = appendString(b, s.Error.Reason)
	}
	if s.Result == nil {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = appendResult(b, s.Result)
	}
	b = appendTime(b, s.CompletedAt)
	b = appendBytes(b, s.ResponseCodeHash)
	b = appendTime(b, s.RedeemedAt)
	// Fields added since the encoding was introduced follow, in order; a
	// record written before them ends here and reads them as zero (decode).
	b = appendString(b, s.Protocol)
	b = appendBytes(b, s.ResponseKey)
	b = appendString(b, s.WebhookURL)
	return b
}

func appendResult(b []byte, r *session.Result) []byte {
	b = appendString(b, r.Holder)
	if r.Credentials == nil {
		b = binary.AppendUvarint(b, 0)
	} else {
		b = binary.AppendUvarint(b, uint64(len(r.Credentials))+1)
	}
	for _, c := range r.Credentials {
		b = appendStrings(b, c.Type)
		b = appendString(b, c.Issuer)
		if c.CredentialSubject == nil {
			b = append(b, tagNull)
		} else {
			b = appendValue(b, c.CredentialSubject)
		}
		b = appendString(b, c.Format)
		if c.Status == nil {
			b = append(b, 0)
		} else {
			b = append(b, 1)
			b = appendString(b, c.Status.State)
			b = appendStrings(b, c.Status.Methods)
		}
	}
	b = appendStrings(b, r.Formats)
	b = appendStrings(b, r.DIDMethods)
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBytes(b, p []byte) []byte {
	if p == nil {
		return binary.AppendUvarint(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(p))+1)
	return append(b, p...)
}

func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return binary.AppendUvarint(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(ss))+1)
	for _, s := range ss {
		b = appendString(b, s)
	}
	return b
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	b = append(b, 1)
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

var errCorrupt = errors.New("corrupt record")

// decode reads a stored record. A record it cannot read is an error, never
// a panic: Redis is shared with operators and their tools.
func decode(data []byte) (session.Session, error) {
	var s session.Session
	v, rest, err := splitHead(data)
	if err != nil {
		return s, err
	}
	s.Version = v
	if len(rest) == 0 || rest[0] != codecBinary {
		return s, fmt.Errorf("redis: decode session: unknown encoding")
	}
	d := decoder{b: rest[1:]}
	s.ID = d.string()
	s.State = d.string()
	s.Nonce = d.string()
	s.StatusTokenHash = d.bytes()
	s.DefinitionID = d.string()
	s.Flow = session.Flow(d.string())
	s.ResponseMode = d.string()
	s.CreatedAt = d.time()
	s.ExpiresAt = d.time()
	s.DeleteAt = d.time()
	s.Status = session.Status(d.string())
	if d.flag() {
		s.Error = &session.Error{Code: d.string(), Description: d.string(), Reason: d.string()}
	}
	if d.flag() {
		s.Result = d.result()
	}
	s.CompletedAt = d.time()
	s.ResponseCodeHash = d.bytes()
	s.RedeemedAt = d.time()
	if d.err == nil && len(d.b) > 0 { // the fields added since (encode)
		s.Protocol = d.string()
		s.ResponseKey = d.bytes()
	}
	if d.err == nil && len(d.b) > 0 {
		s.WebhookURL = d.string()
	}
	if d.err == nil && len(d.b) > 0 {
		d.err = errCorrupt
	}
	if d.err != nil {
		return session.Session{}, fmt.Errorf("redis: decode session: %w", d.err)
	}
	return s, nil
}

// splitHead parses "<version>:" off a record.
func splitHead(data []byte) (int64, []byte, error) {
	for i := 0; i < len(data) && i <= maxHead; i++ {
		if data[i] == ':' {
			v, err := strconv.ParseInt(string(data[:i]), 10, 64)
			if err != nil {
				break
			}
			return v, data[i+1:], nil
		}
	}
	return 0, nil, fmt.Errorf("redis: decode session: %w: no version", errCorrupt)
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) take(n uint64) []byte {
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.err = errCorrupt
		return nil
	}
	p := d.b[:n:n]
	d.b = d.b[n:]
	return p
}

func (d *decoder) flag() bool {
	p := d.take(1)
	if p == nil {
		return false
	}
	switch p[0] {
	case 0:
		return false
	case 1:
		return true
	}
	d.err = errCorrupt
	return false
}

func (d *decoder) string() string { return string(d.take(d.uvarint())) }

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if n == 0 {
		return nil
	}
	// A copy: the caller's value must not share the reply's buffer.
	return append([]byte{}, d.take(n-1)...)
}

// count reads a slice length written as count+1; -1 means nil. It is
// bounded by the bytes left, so a corrupt count cannot allocate much.
func (d *decoder) count() int {
	n := d.uvarint()
	if n == 0 || d.err != nil {
		return -1
	}
	if n-1 > uint64(len(d.b)) {
		d.err = errCorrupt
		return -1
	}
	return int(n - 1)
}

func (d *decoder) strings() []string {
	n := d.count()
	if n < 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.string()
	}
	return ss
}

func (d *decoder) time() time.Time {
	if !d.flag() {
		return time.Time{}
	}
	sec := d.varint()
	nsec := d.uvarint()
	if nsec >= 1e9 {
		d.err = errCorrupt
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

func (d *decoder) result() *session.Result {
	r := &session.Result{Holder: d.string()}
	if n := d.count(); n >= 0 {
		r.Credentials = make([]session.Credential, n)
		for i := range r.Credentials {
			c := &r.Credentials[i]
			c.Type = d.strings()
			c.Issuer = d.string()
			switch v := d.value(0).(type) {
			case map[string]any:
				c.CredentialSubject = v
			case nil:
			default:
				d.fail()
			}
			c.Format = d.string()
			if d.flag() {
				c.Status = &session.CredentialStatus{State: d.string(), Methods: d.strings()}
			}
		}
	}
	r.Formats = d.strings()
	r.DIDMethods = d.strings()
	return r
}

// Claim value tags.
const (
	tagNull = iota
	tagFalse
	tagTrue
	tagNumber // float64, 8 bytes big-endian IEEE 754
	tagString
	tagObject // uvarint count, then key and value pairs
	tagArray  // uvarint count, then values
	tagJSON   // a value of another Go type, as JSON text
)

// maxDepth bounds the nesting decode follows, so a corrupt record cannot
// recurse deep; claims nest a few levels.
const maxDepth = 64

func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, tagNull)
	case bool:
		if v {
			return append(b, tagTrue)
		}
		return append(b, tagFalse)
	case float64:
		b = append(b, tagNumber)
		return binary.BigEndian.AppendUint64(b, math.Float64bits(v))
	case string:
		return appendString(append(b, tagString), v)
	case map[string]any:
		if v == nil {
			return append(b, tagNull)
		}
		b = binary.AppendUvarint(append(b, tagObject), uint64(len(v)))
		for k, e := range v {
			b = appendString(b, k)
			b = appendValue(b, e)
		}
		return b
	case []any:
		if v == nil {
			return append(b, tagNull)
		}
		b = binary.AppendUvarint(append(b, tagArray), uint64(len(v)))
		for _, e := range v {
			b = appendValue(b, e)
		}
		return b
	}
	raw, err := json.Marshal(v)
	if err != nil {
		// Claims are what encoding/json decoded, so they encode; a value
		// that would not is the caller's bug, kept as null.
		return append(b, tagNull)
	}
	return appendBytes(append(b, tagJSON), raw)
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
}

func (d *decoder) value(depth int) any {
	if depth > maxDepth {
		d.fail()
		return nil
	}
	tag := d.take(1)
	if tag == nil {
		return nil
	}
	switch tag[0] {
	case tagNull:
		return nil
	case tagFalse:
		return false
	case tagTrue:
		return true
	case tagNumber:
		p := d.take(8)
		if p == nil {
			return nil
		}
		return math.Float64frombits(binary.BigEndian.Uint64(p))
	case tagString:
		return d.string()
	case tagObject:
		n := d.uvarint()
		if n > uint64(len(d.b)) {
			d.fail()
			return nil
		}
		m := make(map[string]any, n)
		for range n {
			k := d.string()
			m[k] = d.value(depth + 1)
		}
		return m
	case tagArray:
		n := d.uvarint()
		if n > uint64(len(d.b)) {
			d.fail()
			return nil
		}
		a := make([]any, n)
		for i := range a {
			a[i] = d.value(depth + 1)
		}
		return a
	case tagJSON:
		n := d.uvarint()
		if n == 0 {
			d.fail()
			return nil
		}
		var v any
		if raw := d.take(n - 1); d.err == nil {
			if err := json.Unmarshal(raw, &v); err != nil {
				d.fail()
			}
		}
		return v
	}
	d.fail()
	return nil
}
