package status_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/status"
)

const (
	tslURI    = "https://issuer.example.org/statuslists/1"
	tslIssuer = "https://issuer.example.org"
)

var tslKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))

// tokenFetcher serves Status List Tokens by URL and counts fetches.
type tokenFetcher struct {
	mu     sync.Mutex
	bodies map[string]string
	hits   int
}

func (f *tokenFetcher) Fetch(_ context.Context, u string) ([]byte, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hits++
	b, ok := f.bodies[u]
	if !ok {
		return nil, "", status.ErrFetch
	}
	return []byte(b), "application/statuslist+jwt", nil
}

// verifyToken is the test's TokenListVerifier: an EdDSA signature by
// tslKey, with go-jose.
func verifyToken(_ context.Context, raw []byte, _ string) (map[string]any, error) {
	jws, err := jose.ParseSignedCompact(string(raw), []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		return nil, err
	}
	payload, err := jws.Verify(tslKey.Public())
	if err != nil {
		return nil, err
	}
	var claims map[string]any
	return claims, json.Unmarshal(payload, &claims)
}

// statusToken signs a Status List Token with claims edited by edit.
func statusToken(t testing.TB, typ string, bits int, lst string, now time.Time, edit func(map[string]any)) string {
	t.Helper()
	claims := map[string]any{"sub": tslURI, "iss": tslIssuer, "iat": now.Add(-time.Minute).Unix(),
		"exp": now.Add(24 * time.Hour).Unix(), "ttl": 3600, "status_list": map[string]any{"bits": bits, "lst": lst}}
	if edit != nil {
		edit(claims)
	}
	return testshared.SignJWT(t, jose.SigningKey{Algorithm: jose.EdDSA, Key: tslKey},
		(&jose.SignerOptions{}).WithType(jose.ContentType(typ)), claims)
}

// packList packs statuses of bits each, least significant bits first,
// and compresses them as §4.1 says.
func packList(t testing.TB, bits int, statuses ...byte) string {
	per := 8 / bits
	b := make([]byte, (len(statuses)+per-1)/per)
	for i, s := range statuses {
		b[i/per] |= s << ((i % per) * bits)
	}
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	w.Write(b)
	w.Close()
	return base64.RawURLEncoding.EncodeToString(z.Bytes())
}

type tslClock struct{ t time.Time }

func (c *tslClock) now() time.Time { return c.t }

func newTokenChecker(f *tokenFetcher, clock *tslClock, edit func(*status.Options)) *status.Checker {
	o := status.Options{Fetcher: f, VerifyTokenList: verifyToken, Now: clock.now}
	if edit != nil {
		edit(&o)
	}
	return status.New(o)
}

func TestTokenStatusListStates(t *testing.T) {
	clock := &tslClock{time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	lst := packList(t, 2, 0, 1, 2, 3)
	f := &tokenFetcher{bodies: map[string]string{tslURI: statusToken(t, "statuslist+jwt", 2, lst, clock.t, nil)}}
	c := newTokenChecker(f, clock, nil)
	for idx, tc := range []struct {
		state status.State
		err   error
	}{
		{status.Active, nil},
		{status.Revoked, status.ErrRevoked},
		{status.Suspended, status.ErrSuspended},
		{status.Unknown, status.ErrUnsupported}, // 0x03: application specific
		{status.Unknown, status.ErrMalformed},   // out of range (4 entries fit one byte)
	} {
		r, err := c.CheckTokenStatus(ctx, tslURI, uint64(idx), tslIssuer)
		if r.State != tc.state || r.Type != status.TypeTokenStatusList || r.Index != uint64(idx) {
			t.Errorf("idx %d: %+v", idx, r)
		}
		if tc.err == nil && err != nil || tc.err != nil && !errors.Is(err, tc.err) {
			t.Errorf("idx %d: %v, want %v", idx, err, tc.err)
		}
		if tc.state == status.Unknown && !errors.Is(err, status.ErrUnknown) {
			t.Errorf("idx %d: %v is not ErrUnknown", idx, err)
		}
	}
	if idx := 4 * 4; true {
		if _, err := c.CheckTokenStatus(ctx, tslURI, uint64(idx), tslIssuer); !errors.Is(err, status.ErrUnknown) {
			t.Errorf("idx %d: %v", idx, err)
		}
	}
	if f.hits != 1 {
		t.Fatalf("%d fetches, want 1 (cached)", f.hits)
	}
	// FailOpen lets an unknown status through, never a revoked one.
	open := newTokenChecker(f, clock, func(o *status.Options) { o.FailOpen = true })
	if r, err := open.CheckTokenStatus(ctx, tslURI, 3, tslIssuer); err != nil || r.State != status.Unknown {
		t.Fatalf("fail open: %+v %v", r, err)
	}
	if _, err := open.CheckTokenStatus(ctx, tslURI, 1, tslIssuer); !errors.Is(err, status.ErrRevoked) {
		t.Fatalf("fail open revoked: %v", err)
	}
}

func TestTokenStatusListRefusals(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	lst := packList(t, 1, 0, 0, 0, 0, 0, 0, 0, 0)
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	forged := testshared.SignJWT(t, jose.SigningKey{Algorithm: jose.EdDSA, Key: other},
		(&jose.SignerOptions{}).WithType("statuslist+jwt"), map[string]any{"sub": tslURI, "iat": now.Unix(), "status_list": map[string]any{"bits": 1, "lst": lst}})
	for name, body := range map[string]string{
		"typ JWT":          statusToken(t, "JWT", 1, lst, now, nil),
		"no typ":           statusToken(t, "", 1, lst, now, nil),
		"another sub":      statusToken(t, "statuslist+jwt", 1, lst, now, func(m map[string]any) { m["sub"] = "https://issuer.example.org/statuslists/2" }),
		"no sub":           statusToken(t, "statuslist+jwt", 1, lst, now, func(m map[string]any) { delete(m, "sub") }),
		"no iat":           statusToken(t, "statuslist+jwt", 1, lst, now, func(m map[string]any) { delete(m, "iat") }),
		"expired":          statusToken(t, "statuslist+jwt", 1, lst, now, func(m map[string]any) { m["exp"] = now.Add(-time.Hour).Unix() }),
		"not yet valid":    statusToken(t, "statuslist+jwt", 1, lst, now, func(m map[string]any) { m["nbf"] = now.Add(time.Hour).Unix() }),
		"ttl zero":         statusToken(t, "statuslist+jwt", 1, lst, now, func(m map[string]any) { m["ttl"] = 0 }),
		"bits 3":           statusToken(t, "statuslist+jwt", 3, lst, now, nil),
		"bits missing":     statusToken(t, "statuslist+jwt", 1, lst, now, func(m map[string]any) { delete(m["status_list"].(map[string]any), "bits") }),
		"lst not zlib":     statusToken(t, "statuslist+jwt", 1, base64.RawURLEncoding.EncodeToString([]byte("plain")), now, nil),
		"lst gzip":         statusToken(t, "statuslist+jwt", 1, "H4sIAAAAAAAA_2NgAAAAAAAAAAAAAA", now, nil),
		"no status_list":   statusToken(t, "statuslist+jwt", 1, lst, now, func(m map[string]any) { delete(m, "status_list") }),
		"foreign issuer":   statusToken(t, "statuslist+jwt", 1, lst, now, func(m map[string]any) { m["iss"] = "https://other.example.org" }),
		"forged signature": forged,
		"not a JWS":        "not a token",
	} {
		t.Run(name, func(t *testing.T) {
			f := &tokenFetcher{bodies: map[string]string{tslURI: body}}
			c := newTokenChecker(f, &tslClock{now}, nil)
			r, err := c.CheckTokenStatus(ctx, tslURI, 0, tslIssuer)
			if r.State != status.Unknown || !errors.Is(err, status.ErrUnknown) {
				t.Fatalf("%+v %v", r, err)
			}
		})
	}
	for name, c := range map[string]*status.Checker{
		"no fetcher":  status.New(status.Options{VerifyTokenList: verifyToken}),
		"no verifier": status.New(status.Options{Fetcher: &tokenFetcher{}}),
		"unreachable": status.New(status.Options{Fetcher: &tokenFetcher{}, VerifyTokenList: verifyToken}),
	} {
		if _, err := c.CheckTokenStatus(ctx, tslURI, 0, tslIssuer); !errors.Is(err, status.ErrUnknown) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A list of another issuer is accepted only when allowed.
	f := &tokenFetcher{bodies: map[string]string{tslURI: statusToken(t, "statuslist+jwt", 1, lst, now,
		func(m map[string]any) { m["iss"] = "https://lists.example.net" })}}
	c := newTokenChecker(f, &tslClock{now}, func(o *status.Options) { o.AllowForeignListIssuer = true })
	if r, err := c.CheckTokenStatus(ctx, tslURI, 0, tslIssuer); err != nil || r.State != status.Active {
		t.Fatalf("%+v %v", r, err)
	}
	if _, err := c.CheckTokenStatus(ctx, "", 0, tslIssuer); !errors.Is(err, status.ErrMalformed) {
		t.Fatalf("no uri: %v", err)
	}
}

func TestTokenStatusListCache(t *testing.T) {
	clock := &tslClock{time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	lst := packList(t, 1, 0, 1)
	f := &tokenFetcher{bodies: map[string]string{tslURI: statusToken(t, "statuslist+jwt", 1, lst, clock.t,
		func(m map[string]any) { m["ttl"] = 60 })}}
	c := newTokenChecker(f, clock, nil)
	check := func(wantHits int) {
		t.Helper()
		if _, err := c.CheckTokenStatus(ctx, tslURI, 0, tslIssuer); err != nil {
			t.Fatal(err)
		}
		if f.hits != wantHits {
			t.Fatalf("%d fetches, want %d", f.hits, wantHits)
		}
	}
	check(1)
	clock.t = clock.t.Add(30 * time.Second)
	check(1) // within ttl
	clock.t = clock.t.Add(31 * time.Second)
	check(2) // ttl passed: fetched again
	// exp sooner than ttl bounds the cache too.
	f.bodies[tslURI] = statusToken(t, "statuslist+jwt", 1, lst, clock.t, func(m map[string]any) {
		m["ttl"] = 3600
		m["exp"] = clock.t.Add(10 * time.Second).Unix()
	})
	c = newTokenChecker(f, clock, nil)
	check(3)
	clock.t = clock.t.Add(11 * time.Second)
	f.bodies[tslURI] = statusToken(t, "statuslist+jwt", 1, lst, clock.t, nil)
	check(4)
}

// TestTokenStatusListVectors checks the draft's encoding examples and test
// vectors (1, 2, 4 and 8 bits) through CheckTokenStatus.
func TestTokenStatusListVectors(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "token-status-list", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Vectors []struct {
			Name     string         `json:"name"`
			Bits     int            `json:"bits"`
			Lst      string         `json:"lst"`
			Statuses map[string]int `json:"statuses"`
			Entries  uint64         `json:"entries"`
		} `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	clock := &tslClock{time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	for _, vec := range v.Vectors {
		t.Run(vec.Name, func(t *testing.T) {
			f := &tokenFetcher{bodies: map[string]string{tslURI: statusToken(t, "statuslist+jwt", vec.Bits, vec.Lst, clock.t, nil)}}
			c := newTokenChecker(f, clock, func(o *status.Options) { o.FailOpen = true })
			want := func(s int) status.State {
				switch s {
				case 0:
					return status.Active
				case 1:
					return status.Revoked
				case 2:
					return status.Suspended
				}
				return status.Unknown
			}
			for k, s := range vec.Statuses {
				idx, _ := strconv.ParseUint(k, 10, 64)
				r, _ := c.CheckTokenStatus(ctx, tslURI, idx, tslIssuer)
				if r.State != want(s) {
					t.Fatalf("status[%d] = %d: %s (%v)", idx, s, r.State, r.Err)
				}
			}
			// An index no vector sets is VALID; the last one exists; one past it not.
			for _, idx := range []uint64{1, vec.Entries - 1} {
				if _, set := vec.Statuses[strconv.FormatUint(idx, 10)]; set {
					continue
				}
				if r, _ := c.CheckTokenStatus(ctx, tslURI, idx, tslIssuer); r.State != status.Active {
					t.Fatalf("status[%d]: %s (%v)", idx, r.State, r.Err)
				}
			}
			if r, _ := c.CheckTokenStatus(ctx, tslURI, vec.Entries, tslIssuer); r.State != status.Unknown {
				t.Fatalf("status[%d] past the end: %s", vec.Entries, r.State)
			}
			if f.hits != 1 {
				t.Fatalf("%d fetches", f.hits)
			}
		})
	}
	// The decompressed size is bounded.
	if _, err := status.DecodeTokenStatusList(v.Vectors[5].Lst, 1024); !errors.Is(err, status.ErrMalformed) {
		t.Fatalf("bound: %v", err)
	}
}

// FuzzTokenStatusList decodes hostile lst values and reads hostile
// indices: an answer, never a panic.
func FuzzTokenStatusList(f *testing.F) {
	f.Add("eNrbuRgAAhcBXQ", 1, uint64(3))
	f.Add("eNo76fITAAPfAgc", 2, uint64(11))
	f.Add("", 8, uint64(1<<40))
	clock := &tslClock{time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, lst string, bits int, idx uint64) {
		if _, err := status.DecodeTokenStatusList(lst, 1<<16); err != nil && !errors.Is(err, status.ErrMalformed) {
			t.Fatal(err)
		}
		fx := &tokenFetcher{bodies: map[string]string{tslURI: statusToken(t, "statuslist+jwt", bits, lst, clock.t, nil)}}
		c := newTokenChecker(fx, clock, func(o *status.Options) { o.MaxListLen = 1 << 16 })
		if r, err := c.CheckTokenStatus(ctx, tslURI, idx, tslIssuer); err == nil && r.State != status.Active {
			t.Fatalf("accepted %s", r.State)
		}
	})
}
