package status_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/status"
)

// Vector folders, relative to the shared folder.
var (
	bitmapDir    = filepath.Join("vectors", "jcs-ed25519-2020", "iota-revocation-bitmap-2022")
	syntheticDir = filepath.Join("vectors", "iota-synthetic")
	ctx          = context.Background()
)

// readDoc reads the shared DID document at path.
func readDoc(t testing.TB, path ...string) *did.Document {
	t.Helper()
	doc, err := did.DocumentFromMap(testshared.ReadJSON(t, path...))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// registry pins docs and resolves did:key.
func registry(t testing.TB, docs ...*did.Document) *did.Registry {
	reg := did.NewRegistry()
	reg.Register("key", key.New())
	for _, d := range docs {
		reg.Pin(d)
	}
	return reg
}

// keys is the test jwtvc.KeyResolver over a did.Registry; it finds methods
// wherever the document defines them (IOTA documents list keys under
// verificationMethod only), which is a policy decision of the verifier.
type keys struct{ reg *did.Registry }

func (k keys) ResolveKey(ctx context.Context, kid string, _ jwtvc.Purpose) (*jwtvc.Key, error) {
	id, _ := did.Split(kid)
	doc, err := k.reg.Resolve(ctx, id)
	if err != nil {
		return nil, err
	}
	vm, err := doc.Dereference(kid, "")
	if err != nil {
		return nil, err
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return nil, err
	}
	return &jwtvc.Key{ID: vm.ID, Controller: vm.Controller, PublicKey: pub}, nil
}

// jwtListVerifier is the ListVerifier phase 2 wires: a status list
// credential as a JWT, verified by jwtvc.
func jwtListVerifier(reg *did.Registry, now func() time.Time) status.ListVerifier {
	return func(ctx context.Context, raw []byte, _ string) (map[string]any, error) {
		c, err := jwtvc.VerifyCredential(ctx, strings.TrimSpace(string(raw)), keys{reg}, jwtvc.Options{Now: now})
		if err != nil {
			return nil, err
		}
		return c.VC, nil
	}
}

// credentialOf verifies a credential JWT and returns its decoded VC, the
// object Check reads.
func credentialOf(t testing.TB, reg *did.Registry, token string, now func() time.Time) map[string]any {
	t.Helper()
	c, err := jwtvc.VerifyCredential(ctx, token, keys{reg}, jwtvc.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return c.VC
}

// listServer is an HTTPS server standing in for status list hosts: every
// host name is dialled to it, the TLS certificate is still verified.
type listServer struct {
	*httptest.Server
	mu    sync.Mutex
	lists map[string]string // path → body
	hits  map[string]int
}

func newListServer(t testing.TB) *listServer {
	s := &listServer{lists: map[string]string{}, hits: map[string]int{}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		body, ok := s.lists[r.URL.Path]
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/vc+jwt")
		_, _ = w.Write([]byte(body))
	}))
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // the unverified-TLS test's handshake failure
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

func (s *listServer) set(path, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lists[path] = body
}

func (s *listServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// fetcher is an HTTPFetcher whose client reaches s for any host, checking
// the server's certificate (issued by httptest for "example.com").
func (s *listServer) fetcher() *status.HTTPFetcher {
	tr := s.Client().Transport.(*http.Transport).Clone()
	addr := s.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	tr.TLSClientConfig.ServerName = "example.com"
	return &status.HTTPFetcher{Client: &http.Client{Transport: tr}, Timeout: 2 * time.Second}
}

// issuer signs credentials as a did:key, with go-jose.
type issuer struct {
	priv ed25519.PrivateKey
	did  string
	kid  string
}

func newIssuer(seed byte) issuer {
	s := make([]byte, ed25519.SeedSize)
	for i := range s {
		s[i] = seed
	}
	priv := ed25519.NewKeyFromSeed(s)
	d, vm := key.FromEd25519(priv.Public().(ed25519.PublicKey))
	return issuer{priv: priv, did: d, kid: vm}
}

func (is issuer) sign(t testing.TB, claims map[string]any, typ string) string {
	t.Helper()
	return testshared.SignJWT(t, jose.SigningKey{Algorithm: jose.EdDSA, Key: is.priv},
		(&jose.SignerOptions{}).WithType(jose.ContentType(typ)).WithHeader("kid", is.kid), claims)
}

func wantState(t testing.TB, rep status.Report, err error, state status.State, wantErr error) {
	t.Helper()
	if rep.State != state {
		t.Fatalf("state %s (%v), want %s; results %+v", rep.State, err, state, rep.Results)
	}
	if wantErr == nil && err != nil || wantErr != nil && !errors.Is(err, wantErr) {
		t.Fatalf("error %v, want %v", err, wantErr)
	}
}

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
