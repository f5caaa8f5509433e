package issuer

import (
	"context"
	"crypto/ed25519"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/did"
	didjwk "github.com/loginwithiota/verifier/did/jwk"
	didkey "github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/oauth"
)

// memStore is a minimal Store for the package's own tests (the real
// backends import this package).
type memStore struct{ m map[string][]byte }

func (s *memStore) k(kind Kind, key string) string { return string(kind) + ":" + key }
func (s *memStore) Create(_ context.Context, kind Kind, key string, v []byte, _ time.Time) error {
	if _, ok := s.m[s.k(kind, key)]; ok {
		return ErrExists
	}
	s.m[s.k(kind, key)] = v
	return nil
}
func (s *memStore) Get(_ context.Context, kind Kind, key string) ([]byte, error) {
	v, ok := s.m[s.k(kind, key)]
	if !ok {
		return nil, ErrNotFound
	}
	return v, nil
}
func (s *memStore) Update(ctx context.Context, kind Kind, key string, fn func([]byte) ([]byte, error)) error {
	v, err := s.Get(ctx, kind, key)
	if err != nil {
		return err
	}
	n, err := fn(v)
	if err != nil {
		return err
	}
	if n == nil {
		delete(s.m, s.k(kind, key))
	} else {
		s.m[s.k(kind, key)] = n
	}
	return nil
}
func (s *memStore) Take(ctx context.Context, kind Kind, key string) ([]byte, error) {
	v, err := s.Get(ctx, kind, key)
	delete(s.m, s.k(kind, key))
	return v, err
}
func (s *memStore) Delete(_ context.Context, kind Kind, key string) error {
	delete(s.m, s.k(kind, key))
	return nil
}
func (s *memStore) Ping(context.Context) error { return nil }

func fuzzIssuer(tb testing.TB) *Issuer {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	d, vm := didkey.FromEd25519(priv.Public().(ed25519.PublicKey))
	r := did.NewRegistry()
	r.Register("key", didkey.New())
	r.Register("jwk", didjwk.New())
	iss, err := New(Config{Identifier: "https://issuer.example", Signer: Signer{DID: d, KeyID: vm, Key: priv}, Keys: r,
		Configurations: []Configuration{{ID: "A", Format: FormatLDPVC, Types: []string{"X"}}, {ID: "B", Format: FormatJWTVC, Types: []string{"X"}}},
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil))}, &memStore{m: map[string][]byte{}})
	if err != nil {
		tb.Fatal(err)
	}
	return iss
}

// FuzzCredentialRequest: whatever a wallet posts to the credential
// endpoint, the answer is one of the endpoint's OAuth codes with a
// description in the spec's character set, and nothing panics.
func FuzzCredentialRequest(f *testing.F) {
	for _, seed := range []string{
		`{"credential_configuration_id":"A","proofs":{"jwt":["eyJhbGciOiJub25lIn0.e30."]}}`,
		`{"credential_identifier":"A","proofs":{"jwt":["a.b.c"]}}`,
		`{"credential_configuration_id":"A","credential_configuration_id":"B"}`,
		`{"proofs":{"di_vp":[{}]},"credential_configuration_id":"B"}`,
		`{"proof":{"proof_type":"jwt","jwt":"x"},"format":"ldp_vc"}`,
		`[]`, `{`, `{"credential_configuration_id":"A","proofs":{"jwt":["eyJ0eXAiOiJvcGVuaWQ0dmNpLXByb29mK2p3dCIsImFsZyI6IkVkRFNBIiwiandrIjp7ImQiOiJ4In19.e30.AA"]}}`,
	} {
		f.Add([]byte(seed))
	}
	iss := fuzzIssuer(f)
	ctx := context.Background()
	codes := map[oauth.Code]bool{oauth.InvalidToken: true, oauth.InsufficientScope: true, oauth.InvalidCredentialRequest: true,
		oauth.UnknownCredentialConfiguration: true, oauth.UnknownCredentialIdentifier: true, oauth.InvalidProof: true,
		oauth.InvalidNonce: true, oauth.InvalidEncryptionParameters: true}
	f.Fuzz(func(t *testing.T, body []byte) {
		o, err := iss.CreateOffer(ctx, OfferRequest{ConfigurationIDs: []string{"A", "B"}})
		if err != nil {
			t.Fatal(err)
		}
		code := o.Object["grants"].(map[string]any)[GrantPreAuthorizedCode].(map[string]any)["pre-authorized_code"].(string)
		tok, err := iss.Token(ctx, TokenRequest{GrantType: GrantPreAuthorizedCode, PreAuthorizedCode: code})
		if err != nil {
			t.Fatal(err)
		}
		_, err = iss.Credential(ctx, tok.AccessToken, body)
		if err == nil {
			return
		}
		e := oauth.As(err)
		if e == nil || !codes[e.Code()] {
			t.Fatalf("answer %v", err)
		}
		if strings.ContainsAny(e.Description(), "\"\\") || strings.IndexFunc(e.Description(), func(r rune) bool { return r < 0x20 || r > 0x7e }) >= 0 {
			t.Fatalf("description %q", e.Description())
		}
	})
}

// FuzzProof: any proof JWT is refused or accepted without a panic, and a
// refusal is invalid_proof.
func FuzzProof(f *testing.F) {
	for _, seed := range []string{"a.b.c", "eyJhbGciOiJFZERTQSJ9.e30.", "..", "eyJ0eXAiOiJvcGVuaWQ0dmNpLXByb29mK2p3dCIsImFsZyI6IkVkRFNBIiwia2lkIjoiZGlkOmtleTp6Nk1rI3gifQ.e30.AA"} {
		f.Add(seed)
	}
	iss := fuzzIssuer(f)
	f.Fuzz(func(t *testing.T, proof string) {
		if _, err := iss.verifyJWTProof(context.Background(), proof); err != nil {
			if e := oauth.As(err); e == nil || e.Code() != oauth.InvalidProof {
				t.Fatalf("answer %v", err)
			}
		}
	})
}
