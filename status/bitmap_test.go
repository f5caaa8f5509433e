package status_test

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/status"
)

// All RevocationBitmap2022 vectors of the shared set: the IOTA spec's three
// (legacy double-base64), its DID document example, and identity.rs's
// bitmap.rs test constants.
func TestRevocationBitmapVectors(t *testing.T) {
	vectors := testshared.ReadJSON(t, bitmapDir, "revocation-bitmap-vectors.json")["vectors"].([]any)
	if len(vectors) != 8 {
		t.Fatalf("%d vectors, want 8", len(vectors))
	}
	for _, v := range vectors {
		v := v.(map[string]any)
		t.Run(v["name"].(string), func(t *testing.T) {
			bm, err := status.DecodeRevocationBitmap(v["url"].(string), status.DefaultMaxListLen)
			if err != nil {
				t.Fatal(err)
			}
			if n := bm.GetCardinality(); n != uint64(v["expectedLength"].(float64)) {
				t.Errorf("%d revoked, want %v", n, v["expectedLength"])
			}
			switch want := v["expectedRevoked"].(type) {
			case []any:
				var w []uint32
				for _, i := range want {
					w = append(w, uint32(i.(float64)))
				}
				if got := bm.ToArray(); !slices.Equal(got, w) && !(len(got) == 0 && len(w) == 0) {
					t.Errorf("revoked %v, want %v", got, w)
				}
			case string: // "all of 0..16383"
				for i := uint32(0); i < 16384; i++ {
					if !bm.Contains(i) {
						t.Fatalf("%d not revoked", i)
					}
				}
				if bm.Contains(16384) {
					t.Error("16384 revoked")
				}
			}
		})
	}
}

func TestDecodeRevocationBitmapErrors(t *testing.T) {
	for _, tc := range []struct{ name, url string }{
		{"not a data URL", "https://example.com/bitmap"},
		{"wrong media type", "data:text/plain;base64,eJyzMmAAAwADKABr"},
		{"not base64", "data:application/octet-stream;base64,!!!"},
		{"not zlib", "data:application/octet-stream;base64," + b64url([]byte("xyz"))},
		{"zlib of garbage", "data:application/octet-stream;base64,eJxLTEpOSU1LBwAPgAOH"},
		{"truncated zlib", "data:application/octet-stream;base64,eJyzMmAAAwAD"},
	} {
		if _, err := status.DecodeRevocationBitmap(tc.url, status.DefaultMaxListLen); !errors.Is(err, status.ErrMalformed) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// A bitmap larger than the limit is refused before it is read.
	if _, err := status.DecodeRevocationBitmap("data:application/octet-stream;base64,eJyzMmAAAwADKABr", 4); !errors.Is(err, status.ErrMalformed) {
		t.Errorf("limit: %v", err)
	}
}

// The IOTA spec's example: credential index 5, issuer document whose
// bitmap (legacy form) revokes 5. The example's signature does not verify
// (see the vectors README); only status is checked here.
func TestSpecExample(t *testing.T) {
	cred := testshared.ReadJSON(t, bitmapDir, "spec-example-credential.json")
	doc := readDoc(t, bitmapDir, "spec-example-issuer-did-document.json")
	c := status.New(status.Options{Resolver: registry(t, doc)})
	rep, err := c.Check(ctx, cred)
	wantState(t, rep, err, status.Revoked, status.ErrRevoked)
	if r := rep.Results[0]; r.Index != 5 || r.Purpose != status.PurposeRevocation || r.Type != status.TypeRevocationBitmap2022 {
		t.Errorf("result = %+v", r)
	}
	cred["credentialStatus"].(map[string]any)["revocationBitmapIndex"] = "6"
	rep, err = c.Check(ctx, cred)
	wantState(t, rep, err, status.Active, nil)
}

// iota-synthetic: vc.jwt has index 5; the issuer's document revokes
// nothing, its revoked-5 version revokes 5. And the synthetic tokens of
// jwtvc's testdata: index 5 active, index 3 revoked.
func TestIOTASyntheticBitmap(t *testing.T) {
	now := func() time.Time { return time.Unix(1795390155, 0) }
	plain := readDoc(t, syntheticDir, "issuer-did-document.core.json")
	revoked := readDoc(t, syntheticDir, "issuer-did-document.revoked-5.core.json")
	vc := strings.TrimSpace(string(testshared.Read(t, syntheticDir, "vc.jwt")))
	for _, tc := range []struct {
		doc   *did.Document
		state status.State
		err   error
	}{{plain, status.Active, nil}, {revoked, status.Revoked, status.ErrRevoked}} {
		reg := registry(t, tc.doc)
		cred := credentialOf(t, reg, vc, now)
		rep, err := status.New(status.Options{Resolver: reg}).Check(ctx, cred)
		wantState(t, rep, err, tc.state, tc.err)
	}

	syn := testshared.ReadJSONFile(t, filepath.Join("..", "jwtvc", "testdata", "synthetic_jwt.json"))
	issuerDoc, err := did.DocumentFromMap(syn["documents"].(map[string]any)["issuer"].(map[string]any))
	if err != nil {
		t.Fatal(err)
	}
	reg := registry(t, issuerDoc)
	c := status.New(status.Options{Resolver: reg})
	tokens := syn["tokens"].(map[string]any)
	at := func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	rep, err := c.Check(ctx, credentialOf(t, reg, tokens["vc"].(string), at))
	wantState(t, rep, err, status.Active, nil)
	rep, err = c.Check(ctx, credentialOf(t, reg, tokens["vcRevoked"].(string), at))
	wantState(t, rep, err, status.Revoked, status.ErrRevoked)
}

func TestRevocationBitmapErrors(t *testing.T) {
	doc := readDoc(t, bitmapDir, "spec-example-issuer-did-document.json")
	issuerDID := doc.ID
	base := func(edit func(e map[string]any)) map[string]any {
		e := map[string]any{"id": issuerDID + "#revocation", "type": "RevocationBitmap2022", "revocationBitmapIndex": "1"}
		if edit != nil {
			edit(e)
		}
		return map[string]any{"issuer": issuerDID, "credentialStatus": e}
	}
	withService := func(svc map[string]any) *did.Document {
		m := map[string]any{"id": issuerDID, "service": []any{svc}}
		d, err := did.DocumentFromMap(m)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		name string
		cred map[string]any
		doc  *did.Document
		err  error
	}{
		{"status in another DID's document", base(func(e map[string]any) {
			e["id"] = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#revocation"
		}), doc, status.ErrMalformed},
		{"no fragment", base(func(e map[string]any) { e["id"] = issuerDID }), doc, status.ErrMalformed},
		{"index not a number", base(func(e map[string]any) { e["revocationBitmapIndex"] = "five" }), doc, status.ErrMalformed},
		{"index beyond u32", base(func(e map[string]any) { e["revocationBitmapIndex"] = "4294967296" }), doc, status.ErrMalformed},
		{"negative index", base(func(e map[string]any) { e["revocationBitmapIndex"] = -1.0 }), doc, status.ErrMalformed},
		{"no such service", base(func(e map[string]any) { e["id"] = issuerDID + "#other" }), doc, status.ErrMalformed},
		{"service of another type", base(nil), withService(map[string]any{"id": "#revocation", "type": "LinkedDomains", "serviceEndpoint": "https://x"}), status.ErrMalformed},
		{"endpoint not a string", base(nil), withService(map[string]any{"id": "#revocation", "type": "RevocationBitmap2022", "serviceEndpoint": []any{"x"}}), status.ErrMalformed},
		{"issuer unresolvable", base(nil), nil, did.ErrUnsupportedMethod},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := did.NewRegistry()
			if tc.doc != nil {
				reg.Pin(tc.doc)
			}
			rep, err := status.New(status.Options{Resolver: reg}).Check(ctx, tc.cred)
			wantState(t, rep, err, status.Unknown, status.ErrUnknown)
			if !errors.Is(rep.Results[0].Err, tc.err) {
				t.Errorf("cause %v, want %v", rep.Results[0].Err, tc.err)
			}
		})
	}
	// A relative service id, an integer index: accepted.
	rep, err := status.New(status.Options{Resolver: registry(t, doc)}).Check(ctx, base(func(e map[string]any) { e["revocationBitmapIndex"] = 5.0 }))
	wantState(t, rep, err, status.Revoked, status.ErrRevoked)
	// No resolver configured: unknown, fail closed; fail open lets it through.
	rep, err = status.New(status.Options{}).Check(ctx, base(nil))
	wantState(t, rep, err, status.Unknown, status.ErrUnsupported)
	rep, err = status.New(status.Options{FailOpen: true}).Check(ctx, base(nil))
	wantState(t, rep, err, status.Unknown, nil)
}

func TestCheckShapes(t *testing.T) {
	c := status.New(status.Options{})
	for _, tc := range []struct {
		name  string
		cred  map[string]any
		state status.State
		err   error
	}{
		{"no status", map[string]any{"issuer": "did:example:1"}, status.Active, nil},
		{"empty array", map[string]any{"credentialStatus": []any{}}, status.Active, nil},
		{"unsupported type", map[string]any{"credentialStatus": map[string]any{"type": "CredentialStatusList2017"}}, status.Unknown, status.ErrUnsupported},
		{"not an object", map[string]any{"credentialStatus": "revoked"}, status.Unknown, status.ErrMalformed},
		{"array of junk", map[string]any{"credentialStatus": []any{1}}, status.Unknown, status.ErrMalformed},
	} {
		rep, err := c.Check(ctx, tc.cred)
		if rep.State != tc.state || (tc.err == nil) != (err == nil) || tc.err != nil && !errors.Is(err, tc.err) {
			t.Errorf("%s: %s, %v", tc.name, rep.State, err)
		}
	}
}
