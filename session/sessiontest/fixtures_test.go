package sessiontest

import (
	"reflect"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// The fixtures fill in every field of session.Session (across the
// verified and the failed record), so the round-trip subtests catch a
// backend that does not keep a field — a hand-written codec that a new
// field was not added to.
func TestFixturesFillEveryField(t *testing.T) {
	now := time.Now()
	p := newPending(now, time.Hour)
	v, f := newVerified(p, now), newFailed(p, now)
	typ := reflect.TypeOf(session.Session{})
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		if name == "Version" { // the store's own
			continue
		}
		if reflect.ValueOf(v).Field(i).IsZero() && reflect.ValueOf(f).Field(i).IsZero() {
			t.Errorf("no fixture sets session.Session.%s: the round trips would not see a backend drop it", name)
		}
	}
}
