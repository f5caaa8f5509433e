package status_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/status"
)

// synthList is testdata/synthetic_statuslist2021.json: a StatusList2021
// credential made and signed (as a VC-JWT) by IOTA's library, index 94567
// revoked.
type synthList struct {
	reg                   *did.Registry
	issuer, listURL, jwt  string
	revokedEntry, okEntry map[string]any
}

func loadList(t testing.TB) synthList {
	m := testshared.ReadJSONFile(t, filepath.Join("testdata", "synthetic_statuslist2021.json"))
	doc, err := did.DocumentFromMap(m["issuer"].(map[string]any))
	if err != nil {
		t.Fatal(err)
	}
	return synthList{reg: registry(t, doc), issuer: doc.ID, listURL: m["listURL"].(string), jwt: m["listJwt"].(string),
		revokedEntry: m["revokedEntry"].(map[string]any), okEntry: m["validEntry"].(map[string]any)}
}

func TestStatusList2021(t *testing.T) {
	s := loadList(t)
	srv := newListServer(t)
	srv.set("/lists/1", s.jwt)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	newChecker := func(mod func(*status.Options)) *status.Checker {
		o := status.Options{Fetcher: srv.fetcher(), VerifyList: jwtListVerifier(s.reg, clock), Now: clock}
		if mod != nil {
			mod(&o)
		}
		return status.New(o)
	}
	cred := func(entry map[string]any) map[string]any {
		return map[string]any{"issuer": s.issuer, "credentialStatus": entry}
	}
	c := newChecker(nil)
	rep, err := c.Check(ctx, cred(s.revokedEntry))
	wantState(t, rep, err, status.Revoked, status.ErrRevoked)
	rep, err = c.Check(ctx, cred(s.okEntry))
	wantState(t, rep, err, status.Active, nil)
	// Both entries at once: the worst wins.
	rep, err = c.Check(ctx, map[string]any{"issuer": s.issuer, "credentialStatus": []any{s.okEntry, s.revokedEntry}})
	wantState(t, rep, err, status.Revoked, status.ErrRevoked)
	if len(rep.Results) != 2 || rep.Results[0].State != status.Active || rep.Results[1].Index != 94567 {
		t.Errorf("results = %+v", rep.Results)
	}
	// Cached: one fetch so far; after the TTL, fetched again.
	if n := srv.count("/lists/1"); n != 1 {
		t.Errorf("%d fetches, want 1", n)
	}
	now = now.Add(status.DefaultCacheTTL)
	if _, err := c.Check(ctx, cred(s.okEntry)); err != nil {
		t.Fatal(err)
	}
	if n := srv.count("/lists/1"); n != 2 {
		t.Errorf("%d fetches after the TTL, want 2", n)
	}

	edit := func(e map[string]any, k string, v any) map[string]any {
		out := map[string]any{}
		for key, val := range e {
			out[key] = val
		}
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		mod   func(*status.Options)
		serve string // replaces the list at /lists/1 when set
		cred  map[string]any
		cause error
		code  string // jwtvc code of the cause
	}{
		{name: "broken signature", serve: tamperJWT(t, s.jwt), cred: cred(s.okEntry), code: jwtvc.CodeInvalidSignature},
		{name: "unreachable", cred: cred(edit(s.okEntry, "statusListCredential", "https://status.example/lists/404")), cause: status.ErrFetch},
		{name: "plain http", cred: cred(edit(s.okEntry, "statusListCredential", "http://status.example/lists/1")), cause: status.ErrFetch},
		{name: "index outside the list", cred: cred(edit(s.okEntry, "statusListIndex", "131072")), cause: status.ErrMalformed},
		{name: "purpose not the list's", cred: cred(edit(s.okEntry, "statusPurpose", "suspension")), cause: status.ErrMalformed},
		{name: "no purpose", cred: cred(edit(s.okEntry, "statusPurpose", nil)), cause: status.ErrMalformed},
		{name: "no list URL", cred: cred(edit(s.okEntry, "statusListCredential", nil)), cause: status.ErrMalformed},
		{name: "list of another issuer", cred: map[string]any{"issuer": "did:example:other", "credentialStatus": s.okEntry}, cause: status.ErrMalformed},
		{name: "not a list credential", serve: s.jwt, cred: cred(edit(s.okEntry, "type", "BitstringStatusListEntry")), cause: status.ErrMalformed},
		{name: "no verifier", mod: func(o *status.Options) { o.VerifyList = nil }, cred: cred(s.okEntry), cause: status.ErrUnsupported},
		{name: "no fetcher", mod: func(o *status.Options) { o.Fetcher = nil }, cred: cred(s.okEntry), cause: status.ErrUnsupported},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.serve != "" {
				srv.set("/lists/1", tc.serve)
				t.Cleanup(func() { srv.set("/lists/1", s.jwt) })
			}
			c := newChecker(tc.mod) // a fresh cache
			rep, err := c.Check(ctx, tc.cred)
			wantState(t, rep, err, status.Unknown, status.ErrUnknown)
			cause := rep.Results[0].Err
			if tc.cause != nil && !errors.Is(cause, tc.cause) || tc.code != "" && jwtvc.Code(cause) != tc.code {
				t.Errorf("cause %v, want %v %s", cause, tc.cause, tc.code)
			}
			// Fail open: the same outcome, but no error.
			tc2 := tc.mod
			open := newChecker(func(o *status.Options) {
				if tc2 != nil {
					tc2(o)
				}
				o.FailOpen = true
			})
			rep, err = open.Check(ctx, tc.cred)
			wantState(t, rep, err, status.Unknown, nil)
		})
	}
	// A foreign issuer's list is accepted when allowed.
	rep, err = newChecker(func(o *status.Options) { o.AllowForeignListIssuer = true }).Check(ctx,
		map[string]any{"issuer": "did:example:other", "credentialStatus": s.revokedEntry})
	wantState(t, rep, err, status.Revoked, status.ErrRevoked)
	// A failed fetch is not cached: once the list is back, it is used.
	c = newChecker(nil)
	srv.set("/lists/1", "")
	srv.mu.Lock()
	delete(srv.lists, "/lists/1")
	srv.mu.Unlock()
	rep, err = c.Check(ctx, cred(s.okEntry))
	wantState(t, rep, err, status.Unknown, status.ErrFetch)
	srv.set("/lists/1", s.jwt)
	rep, err = c.Check(ctx, cred(s.okEntry))
	wantState(t, rep, err, status.Active, nil)
}

// tamperJWT flips a character of the payload (the bitstring, if that is
// where it lands), keeping header and signature.
func tamperJWT(t testing.TB, tok string) string {
	parts := strings.Split(tok, ".")
	p := []byte(parts[1])
	i := len(p) / 2
	if p[i] == 'A' {
		p[i] = 'B'
	} else {
		p[i] = 'A'
	}
	parts[1] = string(p)
	return strings.Join(parts, ".")
}

// bitstring returns a 16 KiB list (the spec's minimum) with bits set,
// gzip-compressed and multibase base64url-encoded.
func bitstring(t testing.TB, set ...int) string {
	bits := make([]byte, 16<<10)
	for _, i := range set {
		bits[i/8] |= 0x80 >> (i % 8)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(bits)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return "u" + b64url(buf.Bytes())
}

// BitstringStatusList (VC 2.0, vc+jwt status list credentials made here
// with go-jose): revocation and suspension lists, validity, sizes.
func TestBitstringStatusList(t *testing.T) {
	is := newIssuer(7)
	reg := registry(t)
	srv := newListServer(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	listCred := func(purpose, encoded string, extra map[string]any) string {
		c := map[string]any{
			"@context":  []any{"https://www.w3.org/ns/credentials/v2"},
			"id":        "https://lists.example/" + purpose,
			"type":      []any{"VerifiableCredential", "BitstringStatusListCredential"},
			"issuer":    is.did,
			"validFrom": "2026-01-01T00:00:00Z",
			"credentialSubject": map[string]any{"id": "https://lists.example/" + purpose + "#list", "type": "BitstringStatusList",
				"statusPurpose": purpose, "encodedList": encoded},
		}
		for k, v := range extra {
			c[k] = v
		}
		return is.sign(t, c, "vc+jwt")
	}
	srv.set("/revocation", listCred("revocation", bitstring(t, 0, 42), nil))
	srv.set("/suspension", listCred("suspension", bitstring(t, 7), nil))
	srv.set("/expired", listCred("revocation", bitstring(t), map[string]any{"validUntil": "2026-02-01T00:00:00Z"}))
	srv.set("/future", listCred("revocation", bitstring(t), map[string]any{"validFrom": "2026-06-01T00:00:00Z"}))
	srv.set("/not-gzip", listCred("revocation", "u"+b64url([]byte("plain bits")), nil))
	c := status.New(status.Options{Fetcher: srv.fetcher(), VerifyList: jwtListVerifier(reg, clock), Now: clock})
	entry := func(path, purpose string, index string, extra ...any) map[string]any {
		e := map[string]any{"id": "urn:x", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
			"statusListIndex": index, "statusListCredential": "https://lists.example" + path}
		for i := 0; i+1 < len(extra); i += 2 {
			e[extra[i].(string)] = extra[i+1]
		}
		return map[string]any{"issuer": is.did, "credentialStatus": e}
	}
	for _, tc := range []struct {
		name  string
		cred  map[string]any
		state status.State
		err   error
	}{
		{"revoked", entry("/revocation", "revocation", "42"), status.Revoked, status.ErrRevoked},
		{"revoked at index 0", entry("/revocation", "revocation", "0"), status.Revoked, status.ErrRevoked},
		{"not revoked", entry("/revocation", "revocation", "43"), status.Active, nil},
		{"suspended", entry("/suspension", "suspension", "7"), status.Suspended, status.ErrSuspended},
		{"not suspended", entry("/suspension", "suspension", "6"), status.Active, nil},
		{"statusSize 1", entry("/revocation", "revocation", "42", "statusSize", 1.0), status.Revoked, status.ErrRevoked},
		{"last index", entry("/revocation", "revocation", "131071"), status.Active, nil},
		{"index out of bounds", entry("/revocation", "revocation", "131072"), status.Unknown, status.ErrMalformed},
		{"index huge", entry("/revocation", "revocation", "99999999999999999999"), status.Unknown, status.ErrMalformed},
		{"statusSize 2", entry("/revocation", "revocation", "1", "statusSize", 2.0), status.Unknown, status.ErrUnsupported},
		{"message purpose", entry("/revocation", "message", "1"), status.Unknown, status.ErrUnsupported},
		{"refresh purpose", entry("/revocation", "refresh", "1"), status.Active, nil},
		{"expired list", entry("/expired", "revocation", "1"), status.Unknown, jwtvcError(jwtvc.CodeExpired)},
		{"list not yet valid", entry("/future", "revocation", "1"), status.Unknown, jwtvcError(jwtvc.CodeNotYetValid)},
		{"list not gzip", entry("/not-gzip", "revocation", "1"), status.Unknown, status.ErrMalformed},
		{"a StatusList2021 entry on a bitstring list", func() map[string]any {
			m := entry("/revocation", "revocation", "42")
			m["credentialStatus"].(map[string]any)["type"] = "StatusList2021Entry"
			return m
		}(), status.Unknown, status.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := c.Check(ctx, tc.cred)
			want := tc.err
			if tc.state == status.Unknown {
				want = status.ErrUnknown
			}
			wantState(t, rep, err, tc.state, want)
			if code, ok := tc.err.(jwtvcError); ok {
				if jwtvc.Code(err) != string(code) {
					t.Errorf("error %v, want jwtvc code %s", err, code)
				}
			} else if tc.state == status.Unknown && !errors.Is(err, tc.err) {
				t.Errorf("error %v, want %v", err, tc.err)
			}
		})
	}

	// The list's own dates are checked by Check too, whatever the
	// ListVerifier does: here its clock lets the lists through.
	lenient := status.New(status.Options{Fetcher: srv.fetcher(), Now: clock,
		VerifyList: jwtListVerifier(reg, func() time.Time { return time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC) })})
	rep, err := lenient.Check(ctx, entry("/expired", "revocation", "1"))
	wantState(t, rep, err, status.Unknown, status.ErrMalformed)
	lenient = status.New(status.Options{Fetcher: srv.fetcher(), Now: clock,
		VerifyList: jwtListVerifier(reg, func() time.Time { return time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC) })})
	rep, err = lenient.Check(ctx, entry("/future", "revocation", "1"))
	wantState(t, rep, err, status.Unknown, status.ErrMalformed)
}

// jwtvcError stands for a *jwtvc.Error of that code in the table.
type jwtvcError string

func (c jwtvcError) Error() string { return "jwtvc " + string(c) }

func TestDecodeStatusList(t *testing.T) {
	enc := bitstring(t, 3)
	for _, s := range []string{enc, enc[1:], strings.ReplaceAll(strings.ReplaceAll(enc[1:], "-", "+"), "_", "/") + "=="} {
		bits, err := status.DecodeStatusList(s, status.DefaultMaxListLen)
		if err != nil || len(bits) != 16<<10 || bits[0] != 0x10 {
			t.Errorf("%.20s…: %d bytes, %v", s, len(bits), err)
		}
	}
	for _, s := range []string{"", "u", "!!", "u" + b64url([]byte("x"))} {
		if _, err := status.DecodeStatusList(s, status.DefaultMaxListLen); !errors.Is(err, status.ErrMalformed) {
			t.Errorf("%q: %v", s, err)
		}
	}
	if _, err := status.DecodeStatusList(enc, 1024); !errors.Is(err, status.ErrMalformed) {
		t.Errorf("over the limit: %v", err)
	}
}

func TestHTTPFetcher(t *testing.T) {
	srv := newListServer(t)
	srv.set("/big", strings.Repeat("x", 2048))
	srv.set("/ok", "list")
	f := srv.fetcher()
	f.MaxBytes = 1024
	if body, ct, err := f.Fetch(ctx, "https://lists.example/ok"); err != nil || string(body) != "list" || ct != "application/vc+jwt" {
		t.Fatalf("Fetch = %q, %q, %v", body, ct, err)
	}
	for _, u := range []string{"https://lists.example/big", "https://lists.example/missing", "http://lists.example/ok", "ftp://x/y", "https:///nohost"} {
		if _, _, err := f.Fetch(ctx, u); !errors.Is(err, status.ErrFetch) {
			t.Errorf("%s: %v", u, err)
		}
	}
	// Without the test server's certificate, TLS fails: no fetch over an
	// unverified connection.
	plain := &status.HTTPFetcher{Timeout: time.Second}
	if _, _, err := plain.Fetch(ctx, srv.URL+"/ok"); !errors.Is(err, status.ErrFetch) {
		t.Errorf("unverified TLS: %v", err)
	}
}
