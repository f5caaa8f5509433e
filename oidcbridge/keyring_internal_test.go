package oidcbridge

import (
	"testing"
	"time"
)

func TestSchedule(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const rot = 100 * time.Hour // prepublish 10h
	k := func(at time.Time) StoredKey { return StoredKey{NotBefore: at} }
	for _, tc := range []struct {
		name string
		keys []StoredKey
		now  time.Time
		kept int
		add  time.Time
	}{
		{"empty: the first key signs at once", nil, t0, 0, t0},
		{"young key", []StoredKey{k(t0)}, t0.Add(89 * time.Hour), 1, time.Time{}},
		{"time to publish the next", []StoredKey{k(t0)}, t0.Add(90 * time.Hour), 1, t0.Add(100 * time.Hour)},
		{"next published", []StoredKey{k(t0), k(t0.Add(rot))}, t0.Add(95 * time.Hour), 2, time.Time{}},
		{"overdue: the next is still pre-published", []StoredKey{k(t0)}, t0.Add(500 * time.Hour), 1, t0.Add(510 * time.Hour)},
		{"old key kept a day after its successor", []StoredKey{k(t0), k(t0.Add(rot))}, t0.Add(rot + 23*time.Hour), 2, time.Time{}},
		{"old key retired", []StoredKey{k(t0), k(t0.Add(rot))}, t0.Add(rot + 24*time.Hour), 1, time.Time{}},
		{"only a future key", []StoredKey{k(t0.Add(time.Hour))}, t0, 1, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kept, add := schedule(tc.keys, tc.now, rot)
			if len(kept) != tc.kept || !add.Equal(tc.add) {
				t.Fatalf("kept %d, add %v; want %d, %v", len(kept), add, tc.kept, tc.add)
			}
		})
	}
}

// TestRingRoundTrip: generated keys survive the store as private JWKs.
func TestRingRoundTrip(t *testing.T) {
	for _, alg := range []string{"ES256", "EdDSA"} {
		ring, changed, err := rotate(KeyRing{}, time.Now(), alg, time.Hour)
		if err != nil || !changed || len(ring.Keys) != 1 || len(ring.TokenKey) != 32 {
			t.Fatalf("%s: %v %v %+v", alg, err, changed, ring)
		}
		keys, err := parseRing(ring)
		if err != nil || string(keys[0].alg) != alg {
			t.Fatalf("%s: %v %+v", alg, err, keys)
		}
		if _, changed, _ := rotate(ring, time.Now(), alg, time.Hour); changed {
			t.Errorf("%s: a fresh ring rotates again", alg)
		}
	}
	if _, err := unmarshalJWK([]byte(`{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`)); err == nil {
		t.Error("a public key was taken for a signing key")
	}
}
