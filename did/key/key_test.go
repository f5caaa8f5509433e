package key_test

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/mr-tron/base58"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/key"
)

// Ed25519 → X25519 test vectors of the did:key spec
// (w3c-ccg/did-method-key test-vectors/ed25519-x25519.json): seed, DID, the
// Ed25519 key in base58 and the derived keyAgreement key's fragment.
var specVectors = []struct {
	seed, did, publicKeyBase58, x25519 string
}{
	{"0000000000000000000000000000000000000000000000000000000000000000", "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
		"4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS", "z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW"},
	{"0000000000000000000000000000000000000000000000000000000000000001", "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
		"6ASf5EcmmEHTgDJ4X4ZT5vT6iHVJBXPg5AN5YoTCpGWt", "z6LSrHyXiPBhUbvPUtyUCdf32sniiMGPTAesgHrtEa4FePtr"},
	{"0000000000000000000000000000000000000000000000000000000000000002", "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf",
		"8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH", "z6LSkkqoZRC34AEpbkhZCqLDcHQVAxuLpQ7kC8XCXMVUfvjE"},
	{"0000000000000000000000000000000000000000000000000000000000000003", "did:key:z6MkvqoYXQfDDJRv8L4wKzxYeuKyVZBfi9Qo6Ro8MiLH3kDQ",
		"HPYVwAQmskwT1qEEeRzhoomyfyupJGASQQtCXSNG8XS2", "z6LSiUo6AEDat8Ze4nQzDo67SGuHLLwsUGkxndHGUjsywHow"},
	{"0000000000000000000000000000000000000000000000000000000000000004", "did:key:z6MkwW6aqMnjgrhJXFUko3NnZPGzVpkNzhYK7yEhnsibmLwL",
		"J3qYF7YJMKCqQke47UQwiHizgFUXapHxRxKmxbkar89x", "z6LSrGb3qm4xMCEBjvwkLb2WEcXfTM94Tu1RyGCbT5wbg8i9"},
	// The example in the did:key spec / digitalbazaar README (no seed given).
	{"", "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH", "", "z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc"},
}

func TestResolveSpecVectors(t *testing.T) {
	res := key.New()
	for _, v := range specVectors {
		doc, err := res.Resolve(context.Background(), v.did)
		if err != nil {
			t.Fatalf("%s: %v", v.did, err)
		}
		mb := v.did[len(key.Prefix):]
		vmID := v.did + "#" + mb
		if doc.ID != v.did || len(doc.VerificationMethod) != 1 {
			t.Fatalf("%s: id %q, %d methods", v.did, doc.ID, len(doc.VerificationMethod))
		}
		vm := doc.VerificationMethod[0]
		if vm.ID != vmID || vm.Type != "Ed25519VerificationKey2020" || vm.Controller != v.did || vm.PublicKeyMultibase != mb {
			t.Errorf("%s: method = %+v", v.did, vm)
		}
		for _, rel := range []string{did.Authentication, did.AssertionMethod, did.CapabilityInvocation, did.CapabilityDelegation} {
			if _, err := doc.Dereference(vmID, rel); err != nil {
				t.Errorf("%s %s: %v", v.did, rel, err)
			}
		}
		if _, err := doc.Dereference(vmID, did.KeyAgreement); !errors.Is(err, did.ErrNotAuthorized) {
			t.Errorf("%s: signing key usable for keyAgreement: %v", v.did, err)
		}
		if len(doc.KeyAgreement) != 1 || doc.KeyAgreement[0].ID() != v.did+"#"+v.x25519 {
			t.Errorf("%s: keyAgreement = %+v, want #%s", v.did, doc.KeyAgreement, v.x25519)
		}
		if v.seed == "" {
			continue
		}
		seed, _ := hex.DecodeString(v.seed)
		pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
		got, err := vm.PublicKey()
		if err != nil || !pub.Equal(got) {
			t.Errorf("%s: PublicKey() = %x, %v; want %x", v.did, got, err, pub)
		}
		if d, id := key.FromEd25519(pub); d != v.did || id != vmID {
			t.Errorf("FromEd25519 = %s, %s; want %s, %s", d, id, v.did, vmID)
		}
	}
}

// The keys of bench/keys.json are did:key-style multibase values.
func TestFromEd25519BenchKeys(t *testing.T) {
	for seedByte, want := range map[byte]string{
		1: "did:key:z6Mkon3Necd6NkkyfoGoHxid2znGc59LU3K7mubaRcFbLfLX",
		2: "did:key:z6Mko9hTggMwjSTEaJaPUfE6tqcy2xvU6BnNq3e3o8qVBiyH",
	} {
		seed := make([]byte, 32)
		for i := range seed {
			seed[i] = seedByte
		}
		d, _ := key.FromEd25519(ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey))
		if d != want {
			t.Errorf("seed %02x: %s, want %s", seedByte, d, want)
		}
	}
}

func TestResolveX25519(t *testing.T) {
	const x = "did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc"
	doc, err := key.New().Resolve(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.VerificationMethod) != 0 || len(doc.Authentication) != 0 || len(doc.KeyAgreement) != 1 {
		t.Errorf("X25519 did:key document = %+v", doc)
	}
}

func TestResolveErrors(t *testing.T) {
	ed := func(b ...byte) string { return "did:key:" + multibase(append([]byte{0xed, 0x01}, b...)) }
	notOnCurve := make([]byte, 32)
	notOnCurve[0] = 2 // y = 2 has no x on edwards25519
	tests := map[string]struct {
		in   string
		want []error
	}{
		"other method":      {"did:web:example.com", []error{did.ErrInvalidDID}},
		"no multibase":      {"did:key:", []error{did.ErrInvalidDID}},
		"base64 multibase":  {"did:key:mO3sB", []error{did.ErrInvalidDID}},
		"bad base58":        {"did:key:z6Mk0OIl", []error{did.ErrInvalidDID}},
		"short key":         {ed(make([]byte, 31)...), []error{did.ErrInvalidDID}},
		"long key":          {ed(make([]byte, 33)...), []error{did.ErrInvalidDID}},
		"not on curve":      {ed(notOnCurve...), []error{did.ErrInvalidDID}},
		"P-256 bad point":   {"did:key:" + multibase(append([]byte{0x80, 0x24, 0x05}, make([]byte, 32)...)), []error{did.ErrInvalidDID}},
		"versioned form":    {"did:key:1:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH", []error{did.ErrInvalidDID}},
		"trailing garbage":  {"did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktHx", []error{did.ErrInvalidDID}},
		"empty":             {"", []error{did.ErrInvalidDID}},
		"uppercase method":  {"did:KEY:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH", []error{did.ErrInvalidDID}},
		"secp256k1 (never)": {"did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", []error{did.ErrInvalidDID, did.ErrUnsupportedKey}},
	}
	for name, tt := range tests {
		_, err := key.New().Resolve(context.Background(), tt.in)
		for _, want := range tt.want {
			if !errors.Is(err, want) {
				t.Errorf("%s: Resolve(%q) error = %v, want %v", name, tt.in, err, want)
			}
		}
	}
}

func FuzzResolve(f *testing.F) {
	for _, v := range specVectors {
		f.Add(v.did)
	}
	f.Add("did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc")
	f.Add("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169")
	f.Fuzz(func(t *testing.T, in string) {
		doc, err := key.New().Resolve(context.Background(), in)
		if err != nil {
			return
		}
		for _, vm := range doc.VerificationMethod {
			if _, err := vm.PublicKey(); err != nil {
				t.Fatalf("%q resolved to a method without a usable key: %v", in, err)
			}
		}
	})
}

func multibase(b []byte) string { return "z" + base58.Encode(b) }
