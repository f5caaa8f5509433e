package ldproof_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/ldproof"
)

var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// wallet signs with a did:key key, as the test wallet does.
type wallet struct {
	did, vm string
	priv    ed25519.PrivateKey
}

func newWallet(seed byte) wallet {
	priv := seedKey(seed)
	d, vm := key.FromEd25519(priv.Public().(ed25519.PublicKey))
	return wallet{did: d, vm: vm, priv: priv}
}

func (w wallet) sign(t testing.TB, doc, proof map[string]any) map[string]any {
	t.Helper()
	p := map[string]any{}
	maps.Copy(p, proof)
	if _, ok := p["verificationMethod"]; !ok {
		p["verificationMethod"] = w.vm
	}
	out, err := ldproof.SignJcsEd25519(doc, p, w.priv)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func didKeys() registryKeys {
	reg := did.NewRegistry()
	reg.Register("key", key.New())
	return registryKeys{reg: reg}
}

func sampleVC(issuer string) map[string]any {
	return map[string]any{
		"@context":          []any{"https://www.w3.org/2018/credentials/v1"},
		"type":              []any{"VerifiableCredential", "VerifiableId"},
		"issuer":            issuer,
		"issuanceDate":      "2026-01-01T00:00:00Z",
		"credentialSubject": map[string]any{"id": "did:example:holder", "name": "Alice", "gpa": 4.0, "note": "ünïcödé 😀\n"},
	}
}

func TestSignVerifyRoundTripDidKey(t *testing.T) {
	issuer, holder := newWallet(1), newWallet(2)
	vc := issuer.sign(t, sampleVC(issuer.did), map[string]any{"proofPurpose": "assertionMethod", "created": "2026-11-22T09:00:00Z"})
	vp := holder.sign(t, map[string]any{
		"@context":             []any{"https://www.w3.org/2018/credentials/v1"},
		"type":                 []any{"VerifiablePresentation"},
		"holder":               holder.did,
		"verifiableCredential": []any{vc},
	}, map[string]any{"proofPurpose": "authentication", "challenge": "n-0S6", "domain": "https://verifier.example", "created": "2026-11-22T09:59:00Z"})

	// What a wallet sends is JSON: verify the decoded form, like the verifier.
	vp = deepCopy(t, vp)
	ctx := context.Background()
	res, err := ldproof.Verify(ctx, vp, didKeys(), ldproof.Options{
		Purpose: ldproof.PurposeAuthentication, Challenge: "n-0S6", Domain: "https://verifier.example",
		ProofTypes: []string{ldproof.TypeJcsEd25519Signature2020}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	want := ldproof.ProofResult{Type: ldproof.TypeJcsEd25519Signature2020, VerificationMethod: holder.vm,
		Controller: holder.did, Created: time.Date(2026, 11, 22, 9, 59, 0, 0, time.UTC)}
	if len(res) != 1 || res[0].Type != want.Type || res[0].VerificationMethod != want.VerificationMethod ||
		res[0].Controller != want.Controller || !res[0].Created.Equal(want.Created) || res[0].Err != nil {
		t.Errorf("VP results = %+v, want %+v", res, want)
	}
	res, err = ldproof.Verify(ctx, credentials(t, vp)[0], didKeys(), ldproof.Options{Purpose: ldproof.PurposeAssertionMethod, Now: now})
	if err != nil || len(res) != 1 || res[0].Controller != issuer.did {
		t.Errorf("VC: %+v, %v", res, err)
	}
}

func TestSignJcsEd25519ProofSet(t *testing.T) {
	a, b := newWallet(1), newWallet(2)
	purpose := map[string]any{"proofPurpose": "assertionMethod"}
	doc := b.sign(t, a.sign(t, sampleVC(a.did), purpose), purpose)
	if proofs, ok := doc["proof"].([]any); !ok || len(proofs) != 2 {
		t.Fatalf("proof = %v, want a set of two", doc["proof"])
	}
	res, err := ldproof.Verify(context.Background(), deepCopy(t, doc), didKeys(), ldproof.Options{Purpose: ldproof.PurposeAssertionMethod, Now: now})
	if err != nil || len(res) != 2 || res[0].Controller != a.did || res[1].Controller != b.did {
		t.Fatalf("results %+v, %v", res, err)
	}
	// One bad proof in the set fails the document.
	bad := deepCopy(t, doc)
	bad["proof"].([]any)[1].(map[string]any)["created"] = "2026-01-01T00:00:00Z"
	_, err = ldproof.Verify(context.Background(), bad, didKeys(), ldproof.Options{Purpose: ldproof.PurposeAssertionMethod, Now: now})
	wantCode(t, err, ldproof.CodeInvalidSignature)

	if _, err := ldproof.SignJcsEd25519(sampleVC(a.did), purpose, a.priv[:32]); err == nil {
		t.Error("SignJcsEd25519 accepted a 32-byte private key")
	}
}

func TestVerifyPolicy(t *testing.T) {
	w := newWallet(1)
	other := newWallet(3)
	base := ldproof.Options{Purpose: ldproof.PurposeAuthentication, Now: now}
	with := func(mod func(*ldproof.Options)) ldproof.Options { o := base; mod(&o); return o }
	signed := func(proof map[string]any) map[string]any {
		return deepCopy(t, w.sign(t, sampleVC(w.did), proof))
	}
	auth := func(extra map[string]any) map[string]any {
		p := map[string]any{"proofPurpose": "authentication"}
		maps.Copy(p, extra)
		return p
	}
	edit := func(doc map[string]any, f func(proof map[string]any)) map[string]any {
		f(doc["proof"].(map[string]any))
		return doc
	}

	tests := []struct {
		name string
		doc  map[string]any
		opts ldproof.Options
		want string
	}{
		{"valid", signed(auth(nil)), base, ""},
		{"wrong purpose", signed(map[string]any{"proofPurpose": "assertionMethod"}), base, ldproof.CodeWrongProofPurpose},
		{"purpose not a string", signed(map[string]any{"proofPurpose": []any{"authentication"}}), base, ldproof.CodeMalformedProof},
		{"missing purpose", signed(nil), base, ldproof.CodeWrongProofPurpose},
		{"missing purpose allowed", signed(nil), with(func(o *ldproof.Options) { o.AllowMissingPurpose = true }), ""},
		{"missing purpose allowed, key not authorised for it", signed(nil),
			with(func(o *ldproof.Options) { o.AllowMissingPurpose = true; o.Purpose = "keyAgreement" }), ldproof.CodeKeyResolutionFailed},

		{"challenge matches", signed(auth(map[string]any{"challenge": "abc"})), with(func(o *ldproof.Options) { o.Challenge = "abc" }), ""},
		{"challenge differs", signed(auth(map[string]any{"challenge": "abd"})), with(func(o *ldproof.Options) { o.Challenge = "abc" }), ldproof.CodeChallengeMismatch},
		{"challenge prefix", signed(auth(map[string]any{"challenge": "ab"})), with(func(o *ldproof.Options) { o.Challenge = "abc" }), ldproof.CodeChallengeMismatch},
		{"challenge missing", signed(auth(nil)), with(func(o *ldproof.Options) { o.Challenge = "abc" }), ldproof.CodeChallengeMismatch},
		{"challenge not a string", signed(auth(map[string]any{"challenge": 5.0})), with(func(o *ldproof.Options) { o.Challenge = "5" }), ldproof.CodeChallengeMismatch},
		{"challenge not required", signed(auth(map[string]any{"challenge": "anything"})), base, ""},

		{"domain string", signed(auth(map[string]any{"domain": "https://v.example"})), with(func(o *ldproof.Options) { o.Domain = "https://v.example" }), ""},
		{"domain array", signed(auth(map[string]any{"domain": []any{"a", "https://v.example"}})), with(func(o *ldproof.Options) { o.Domain = "https://v.example" }), ""},
		{"domain differs", signed(auth(map[string]any{"domain": "https://evil.example"})), with(func(o *ldproof.Options) { o.Domain = "https://v.example" }), ldproof.CodeDomainMismatch},
		{"domain array without it", signed(auth(map[string]any{"domain": []any{"a", 5.0}})), with(func(o *ldproof.Options) { o.Domain = "https://v.example" }), ldproof.CodeDomainMismatch},
		{"domain missing", signed(auth(nil)), with(func(o *ldproof.Options) { o.Domain = "https://v.example" }), ldproof.CodeDomainMismatch},
		{"domain an object", signed(auth(map[string]any{"domain": map[string]any{}})), with(func(o *ldproof.Options) { o.Domain = "x" }), ldproof.CodeMalformedProof},

		{"created past", signed(auth(map[string]any{"created": "2020-01-01T00:00:00Z"})), base, ""},
		{"created within skew", signed(auth(map[string]any{"created": "2026-11-22T10:04:59Z"})), base, ""},
		{"created beyond skew", signed(auth(map[string]any{"created": "2026-11-22T10:05:01Z"})), base, ldproof.CodeCreatedInFuture},
		{"created with offset", signed(auth(map[string]any{"created": "2026-11-22T11:04:00+01:00"})), base, ""},
		{"created fractional", signed(auth(map[string]any{"created": "2026-11-22T09:00:00.123Z"})), base, ""},
		{"created without zone", signed(auth(map[string]any{"created": "2026-11-22T09:00:00"})), base, ""},
		{"created garbage", signed(auth(map[string]any{"created": "yesterday"})), base, ldproof.CodeMalformedProof},
		{"created number", signed(auth(map[string]any{"created": 1700000000.0})), base, ldproof.CodeMalformedProof},

		{"type allowed", signed(auth(nil)), with(func(o *ldproof.Options) {
			o.ProofTypes = []string{"Ed25519Signature2020", ldproof.TypeJcsEd25519Signature2020}
		}), ""},
		{"type not allowed", signed(auth(nil)), with(func(o *ldproof.Options) { o.ProofTypes = []string{"Ed25519Signature2020"} }), ldproof.CodeProofTypeNotAllowed},
		{"type unsupported", edit(signed(auth(nil)), func(p map[string]any) { p["type"] = "BbsBlsSignature2020" }), base, ldproof.CodeUnsupportedProofType},
		{"type missing", edit(signed(auth(nil)), func(p map[string]any) { delete(p, "type") }), base, ldproof.CodeMalformedProof},

		{"no proof", sampleVC(w.did), base, ldproof.CodeMissingProof},
		{"empty proof array", func() map[string]any { d := sampleVC(w.did); d["proof"] = []any{}; return d }(), base, ldproof.CodeMissingProof},
		{"proof a string", func() map[string]any { d := sampleVC(w.did); d["proof"] = "x"; return d }(), base, ldproof.CodeMalformedProof},
		{"proof array of strings", func() map[string]any { d := sampleVC(w.did); d["proof"] = []any{"x"}; return d }(), base, ldproof.CodeMalformedProof},
		{"vm missing", edit(signed(auth(nil)), func(p map[string]any) { delete(p, "verificationMethod") }), base, ldproof.CodeMalformedProof},
		{"vm as object", signed(auth(map[string]any{"verificationMethod": map[string]any{"id": w.vm}})), base, ""},
		{"vm of another key", edit(signed(auth(nil)), func(p map[string]any) { p["verificationMethod"] = other.vm }), base, ldproof.CodeInvalidSignature},
		{"vm unresolvable", edit(signed(auth(nil)), func(p map[string]any) { p["verificationMethod"] = "did:web:example.com#k" }), base, ldproof.CodeKeyResolutionFailed},
		{"signatureValue missing", edit(signed(auth(nil)), func(p map[string]any) { delete(p, "signatureValue") }), base, ldproof.CodeMalformedProof},
		{"signatureValue not base58", edit(signed(auth(nil)), func(p map[string]any) { p["signatureValue"] = "0OIl" }), base, ldproof.CodeMalformedProof},
		{"signatureValue multibase", edit(signed(auth(nil)), func(p map[string]any) { p["signatureValue"] = "z" + p["signatureValue"].(string) }), base, ldproof.CodeInvalidSignature},
		{"signatureValue huge", edit(signed(auth(nil)), func(p map[string]any) { p["signatureValue"] = string(make([]byte, 1<<16)) }), base, ldproof.CodeInvalidSignature},
		{"claim changed", func() map[string]any {
			d := signed(auth(nil))
			d["credentialSubject"].(map[string]any)["gpa"] = 4.000000000000001
			return d
		}(), base, ldproof.CodeInvalidSignature},
		{"proof option added", edit(signed(auth(nil)), func(p map[string]any) { p["nonce"] = "x" }), base, ldproof.CodeInvalidSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ldproof.Verify(context.Background(), tt.doc, didKeys(), tt.opts)
			wantCode(t, err, tt.want)
		})
	}
}

func TestVerifyCallerErrors(t *testing.T) {
	w := newWallet(1)
	doc := deepCopy(t, w.sign(t, sampleVC(w.did), map[string]any{"proofPurpose": "authentication"}))
	if _, err := ldproof.Verify(context.Background(), doc, didKeys(), ldproof.Options{}); err == nil || ldproof.Code(err) != "" {
		t.Errorf("missing Purpose: error = %v, want a plain error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ldproof.Verify(ctx, doc, didKeys(), ldproof.Options{Purpose: ldproof.PurposeAuthentication}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error = %v", err)
	}
	// Zero Now means the real clock: a proof created now passes.
	fresh := deepCopy(t, w.sign(t, sampleVC(w.did), map[string]any{"proofPurpose": "authentication", "created": time.Now().UTC().Format(time.RFC3339)}))
	if _, err := ldproof.Verify(context.Background(), fresh, didKeys(), ldproof.Options{Purpose: ldproof.PurposeAuthentication}); err != nil {
		t.Error(err)
	}
}

func TestErrorType(t *testing.T) {
	cause := errors.New("boom")
	e := &ldproof.Error{Code: ldproof.CodeKeyResolutionFailed, Reason: "cannot resolve", Err: cause}
	if e.Error() != "key_resolution_failed: cannot resolve: boom" || !errors.Is(e, cause) {
		t.Errorf("Error() = %q", e.Error())
	}
	if ldproof.Code(cause) != "" || ldproof.Code(nil) != "" {
		t.Error("Code of a non-ldproof error")
	}
}
