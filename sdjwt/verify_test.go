package sdjwt_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/sdjwt"
)

func TestRoundTrip(t *testing.T) {
	f := newFixture(t)
	p := f.present(t, sdjwt.Path{"given_name"}, sdjwt.Path{"address", "locality"}, sdjwt.Path{"nationalities", 1})
	c, err := sdjwt.Verify(ctx, p, f.opts())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(c.Claims)
	cnf, _ := json.Marshal(c.Cnf)
	want := `{"address":{"locality":"Köln"},"cnf":` + string(cnf) + `,"exp":` + jsonNum(now.Add(24*time.Hour)) +
		`,"given_name":"Erika","iat":` + jsonNum(now.Add(-time.Hour)) + `,"iss":"https://issuer.example.org","nationalities":["FR"],` +
		`"status":{"status_list":{"idx":7,"uri":"https://issuer.example.org/status/1"}},"vct":"` + testVCT + `"}`
	if string(got) != want {
		t.Fatalf("claims\n got %s\nwant %s", got, want)
	}
	if c.VCT != testVCT || c.Issuer != testIssuer || c.Status == nil || *c.Status != (sdjwt.StatusListRef{URI: "https://issuer.example.org/status/1", Index: 7}) {
		t.Fatalf("credential %+v", c)
	}
	if c.KeyBinding == nil || c.KeyBinding.Nonce != testNonce || c.KeyBinding.Audience != testAudience || !c.KeyBinding.IssuedAt.Equal(now) {
		t.Fatalf("key binding %+v", c.KeyBinding)
	}
	var paths [][]any
	for _, d := range c.Disclosures {
		paths = append(paths, d.Path)
	}
	// the nationalities array (recursive), its second element (now the
	// first of the processed array), given_name, address.locality
	wantPaths := map[string]bool{`["given_name"]`: true, `["address","locality"]`: true, `["nationalities"]`: true, `["nationalities",0]`: true}
	if len(paths) != len(wantPaths) {
		t.Fatalf("disclosed %v", paths)
	}
	for _, p := range paths {
		b, _ := json.Marshal(p)
		if !wantPaths[string(b)] {
			t.Fatalf("unexpected disclosed path %s", b)
		}
	}
}

func jsonNum(t time.Time) string { b, _ := json.Marshal(float64(t.Unix())); return string(b) }

func TestDiscloseAllAndNone(t *testing.T) {
	f := newFixture(t)
	all, err := sdjwt.Verify(ctx, f.present(t, sdjwt.DiscloseAll...), f.opts())
	if err != nil {
		t.Fatal(err)
	}
	if all.Claims["birthdate"] != "1964-08-12" || len(all.Claims["nationalities"].([]any)) != 2 || len(all.Disclosures) != 9 {
		t.Fatalf("all: %v", all.Claims)
	}
	none, err := sdjwt.Verify(ctx, f.present(t), f.opts())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"given_name", "birthdate", "nationalities"} {
		if _, ok := none.Claims[k]; ok {
			t.Fatalf("undisclosed %s is there", k)
		}
	}
	if addr := none.Claims["address"].(map[string]any); len(addr) != 0 {
		t.Fatalf("address %v", addr)
	}
	for _, k := range []string{"_sd", "_sd_alg"} {
		if _, ok := none.Claims[k]; ok {
			t.Fatalf("%s left in the processed payload", k)
		}
	}
}

func TestKeyBindingPolicy(t *testing.T) {
	f := newFixture(t)
	bare, err := sdjwt.Present(f.issued, []sdjwt.Path{{"given_name"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(bare, "~") {
		t.Fatalf("an SD-JWT without KB-JWT ends with ~: %q", bare[len(bare)-5:])
	}
	_, err = sdjwt.Verify(ctx, bare, f.opts())
	wantCode(t, err, sdjwt.CodeKBMissing)
	o := f.opts()
	o.RequireKeyBinding = false
	c, err := sdjwt.Verify(ctx, bare, o)
	if err != nil || c.KeyBinding != nil {
		t.Fatalf("not required: %v %+v", err, c)
	}
	// A KB-JWT that is there is verified even when not required.
	bad, err := sdjwt.Present(f.issued, nil, f.holderOf("other", testAudience, now))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sdjwt.Verify(ctx, bad, o)
	wantCode(t, err, sdjwt.CodeKBNonce)
}

func TestKeyBindingFailures(t *testing.T) {
	f := newFixture(t)
	bare, err := sdjwt.Present(f.issued, []sdjwt.Path{{"given_name"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	withKB := func(h *sdjwt.Holder) string {
		p, err := sdjwt.Present(f.issued, []sdjwt.Path{{"given_name"}}, h)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := withKB(f.holderOf(testNonce, testAudience, now))
	cut := strings.LastIndexByte(good, '~') + 1
	for _, tc := range []struct {
		name, pres, code string
	}{
		{"wrong nonce", withKB(f.holderOf("n-other", testAudience, now)), sdjwt.CodeKBNonce},
		{"nonce prefix", withKB(f.holderOf(testNonce[:4], testAudience, now)), sdjwt.CodeKBNonce},
		{"wrong aud", withKB(f.holderOf(testNonce, "https://client.example.org", now)), sdjwt.CodeKBAudience},
		{"aud without prefix", withKB(f.holderOf(testNonce, strings.TrimPrefix(testAudience, "decentralized_identifier:"), now)), sdjwt.CodeKBAudience},
		{"iat an hour old", withKB(f.holderOf(testNonce, testAudience, now.Add(-time.Hour))), sdjwt.CodeKBIat},
		{"iat in the future", withKB(f.holderOf(testNonce, testAudience, now.Add(10*time.Minute))), sdjwt.CodeKBIat},
		{"signed by another key", withKB(&sdjwt.Holder{Signer: sdjwt.Signer{Key: edKey(9)}, Nonce: testNonce, Audience: testAudience, IssuedAt: now}), sdjwt.CodeKBSignature},
		{"sd_hash of other disclosures", bare + kbFor(t, f.holder, sdjwt.TypeKB, f.present(t)[:strings.LastIndexByte(f.present(t), '~')+1], nil), sdjwt.CodeKBSdHash},
		{"no sd_hash", bare + kbFor(t, f.holder, sdjwt.TypeKB, bare, func(m map[string]any) { delete(m, "sd_hash") }), sdjwt.CodeKBSdHash},
		{"typ jwt", bare + kbFor(t, f.holder, "JWT", bare, nil), sdjwt.CodeKBType},
		{"no iat", bare + kbFor(t, f.holder, sdjwt.TypeKB, bare, func(m map[string]any) { delete(m, "iat") }), sdjwt.CodeKBIat},
		{"aud array", bare + kbFor(t, f.holder, sdjwt.TypeKB, bare, func(m map[string]any) { m["aud"] = []string{testAudience} }), sdjwt.CodeKBAudience},
		{"nonce number", bare + kbFor(t, f.holder, sdjwt.TypeKB, bare, func(m map[string]any) { m["nonce"] = 1 }), sdjwt.CodeKBNonce},
		{"expired KB", bare + kbFor(t, f.holder, sdjwt.TypeKB, bare, func(m map[string]any) { m["exp"] = now.Add(-time.Hour).Unix() }), sdjwt.CodeKBIat},
		{"not a JWT", bare + "abc", sdjwt.CodeKBMalformed},
		{"good", good, ""},
		{"good, built by hand", bare + kbFor(t, f.holder, sdjwt.TypeKB, bare, nil), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sdjwt.Verify(ctx, tc.pres, f.opts())
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantCode(t, err, tc.code)
		})
	}
	// Adding a disclosure after the KB-JWT was made breaks sd_hash.
	extra := f.present(t, sdjwt.Path{"birthdate"})
	bd := strings.Split(extra, "~")[1]
	tampered := good[:cut] // ends with ~
	tampered = tampered + bd + "~" + good[cut:]
	_, err = sdjwt.Verify(ctx, tampered, f.opts())
	wantCode(t, err, sdjwt.CodeKBSdHash)
}

func TestCnfMissing(t *testing.T) {
	iss := edKey(0)
	claims := map[string]any{"vct": testVCT, "given_name": "Erika"}
	issued, err := sdjwt.Issue(claims, []sdjwt.Path{{"given_name"}}, sdjwt.Signer{Key: iss}, sdjwt.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := sdjwt.Present(issued, sdjwt.DiscloseAll, &sdjwt.Holder{Signer: sdjwt.Signer{Key: edKey(1)}, Nonce: testNonce, Audience: testAudience, IssuedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	o := sdjwt.Options{Keys: staticKeys{iss.Public()}, RequireKeyBinding: true, Nonce: testNonce, Audience: testAudience, Now: func() time.Time { return now }}
	_, err = sdjwt.Verify(ctx, p, o)
	wantCode(t, err, sdjwt.CodeKBKey)
}

func TestIssuerSignatureAndHeader(t *testing.T) {
	f := newFixture(t)
	p := f.present(t, sdjwt.Path{"given_name"})
	jwt, rest, _ := strings.Cut(p, "~")
	parts := strings.Split(jwt, ".")
	sig := []byte(parts[2])
	// Another base64url character in the middle of the signature (a bit
	// flip may leave the alphabet).
	if sig[5] == 'A' {
		sig[5] = 'B'
	} else {
		sig[5] = 'A'
	}
	tamperedSig := parts[0] + "." + parts[1] + "." + string(sig) + "~" + rest
	_, err := sdjwt.Verify(ctx, tamperedSig, f.opts())
	wantCode(t, err, sdjwt.CodeSignature)

	o := f.opts()
	o.Keys = staticKeys{edKey(5).Public()}
	_, err = sdjwt.Verify(ctx, p, o)
	wantCode(t, err, sdjwt.CodeSignature)

	o = f.opts()
	o.Algorithms = []string{sdjwt.AlgES256}
	_, err = sdjwt.Verify(ctx, p, o)
	wantCode(t, err, sdjwt.CodeAlgNotAllowed)

	// typ: vc+sd-jwt is accepted, anything else not.
	for typ, code := range map[string]string{sdjwt.TypeVC: "", "JWT": sdjwt.CodeType, "example+sd-jwt": sdjwt.CodeType} {
		issued, err := sdjwt.Issue(baseClaims(t, f.holder.Public()), basePaths, sdjwt.Signer{Key: f.issuer}, sdjwt.IssueOptions{Typ: typ})
		if err != nil {
			t.Fatal(err)
		}
		p, err := sdjwt.Present(issued, nil, f.holderOf(testNonce, testAudience, now))
		if err != nil {
			t.Fatal(err)
		}
		_, err = sdjwt.Verify(ctx, p, f.opts())
		if code == "" && err != nil {
			t.Fatalf("typ %s: %v", typ, err)
		}
		if code != "" {
			wantCode(t, err, code)
		}
	}
	_, err = sdjwt.Verify(ctx, p, sdjwt.Options{})
	wantCode(t, err, sdjwt.CodeKeyResolution)
}

func TestValidityWindow(t *testing.T) {
	f := newFixture(t)
	p := f.present(t)
	for _, tc := range []struct {
		at   time.Time
		code string
	}{
		{now.Add(25 * time.Hour), sdjwt.CodeExpired},
		{now.Add(-2 * time.Hour), sdjwt.CodeNotYetValid},
		{now.Add(24*time.Hour + 30*time.Second), ""}, // within the skew
	} {
		o := f.opts()
		o.Now = func() time.Time { return tc.at }
		o.KBMaxAge, o.KBMaxFuture = 48*time.Hour, 48*time.Hour
		_, err := sdjwt.Verify(ctx, p, o)
		if tc.code == "" {
			if err != nil {
				t.Fatal(err)
			}
			continue
		}
		wantCode(t, err, tc.code)
	}
}

func TestParsedClaimsBeforeVerify(t *testing.T) {
	f := newFixture(t)
	tok, err := sdjwt.Parse(f.present(t, sdjwt.Path{"family_name"}), sdjwt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tok.Claims()["family_name"] != "Mustermann" || !tok.HasKeyBinding() || tok.HashAlg() != "sha-256" || tok.Header().Kid != "key-1" {
		t.Fatalf("token %v", tok.Claims())
	}
	c, err := tok.Verify(ctx, f.opts())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Claims, tok.Claims()) {
		t.Fatal("Verify reads another parse")
	}
}
