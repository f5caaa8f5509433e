package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/ldproof"
)

// party is a did:key with its signing key.
type party struct {
	did, kid string
	priv     ed25519.PrivateKey
}

func newParty(t *testing.T) party {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	d, kid := key.FromEd25519(pub)
	return party{did: d, kid: kid, priv: priv}
}

// signJWT signs claims as a compact JWS with go-jose (EdDSA, kid header).
func (p party) signJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	return testshared.SignJWT(t, jose.SigningKey{Algorithm: jose.EdDSA, Key: p.priv},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", p.kid), claims)
}

// encodedList is a status list of size bits with the given bits set,
// gzip-compressed and base64url-encoded (index 0 is the first byte's
// most significant bit).
func encodedList(t *testing.T, size int, set ...int) string {
	bits := make([]byte, size/8)
	for _, i := range set {
		bits[i/8] |= 0x80 >> (i % 8)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(bits); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// listHost is an HTTPS server standing in for the issuer's status list host.
type listHost struct {
	*httptest.Server
	lists map[string][]byte // path → body
}

func (h *listHost) serve(w http.ResponseWriter, r *http.Request) {
	body, ok := h.lists[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if body[0] == '{' {
		w.Header().Set("Content-Type", "application/vc+ld+json")
	} else {
		w.Header().Set("Content-Type", "application/vc+jwt")
	}
	w.Write(body)
}

// startStatusService runs the program with the memory store, the test's
// config (status section and definitions) and nothing else.
func startStatusService(t *testing.T, cfg string) (*Program, *site) {
	t.Helper()
	p, err := Open(context.Background(), Options{ConfigPath: testshared.WriteTemp(t, "config.yaml", relaxLimits(cfg)), Listen: "127.0.0.1:0"}, io.Discard)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	jar, _ := cookiejar.New(nil)
	return p, &site{t: t, base: p.PublicURL, http: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

const statusDefinitions = `presentation_definitions:
  - id: degree-jwt
    input_descriptors:
      - id: degree
        format: {jwt_vc_json: {alg: [EdDSA]}}
        constraints:
          fields:
            - path: ["$.type"]
              filter: {type: string, pattern: UniversityDegreeCredential}
`

// StatusList2021 (list as a JWT, verified with jwtvc) and
// BitstringStatusList (list as a Data Integrity credential, verified with
// ldproof), fetched over HTTPS from a test host the config lets through
// (its CA, a loopback address): a valid and a revoked credential, a list
// whose signature is broken, an unreachable list (fails closed, or passes
// with status.fail_open), and the defaults that refuse the test host.
func TestServiceStatusLists(t *testing.T) {
	issuer, holder := newParty(t), newParty(t)
	host := &listHost{lists: map[string][]byte{}}
	host.Server = httptest.NewTLSServer(http.HandlerFunc(host.serve))
	t.Cleanup(host.Close)
	gone := httptest.NewTLSServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: host.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	const revokedIndex, validIndex = 94567, 94568
	now := time.Now().UTC().Truncate(time.Second)

	// StatusList2021, as a JWT.
	sl2021 := func(path, encoded string) string {
		u := host.URL + path
		return issuer.signJWT(t, map[string]any{"iss": issuer.did, "jti": u, "nbf": now.Add(-time.Hour).Unix(), "vc": map[string]any{
			"@context": []any{"https://www.w3.org/2018/credentials/v1", "https://w3id.org/vc/status-list/2021/v1"},
			"type":     []any{"VerifiableCredential", "StatusList2021Credential"},
			"credentialSubject": map[string]any{"id": u + "#list", "type": "StatusList2021",
				"statusPurpose": "revocation", "encodedList": encoded}}})
	}
	host.lists["/sl2021"] = []byte(sl2021("/sl2021", encodedList(t, 131072, revokedIndex)))
	host.lists["/sl2021-broken"] = []byte(testshared.TamperJWT(t, sl2021("/sl2021-broken", encodedList(t, 131072)), func(c map[string]any) {
		c["vc"].(map[string]any)["credentialSubject"].(map[string]any)["encodedList"] = encodedList(t, 131072, revokedIndex, 1)
	}))

	// BitstringStatusList, as a Data Integrity (eddsa-rdfc-2022) credential.
	bsl := func(path, encoded string) map[string]any {
		u := host.URL + path
		doc := map[string]any{
			"@context": []any{"https://www.w3.org/ns/credentials/v2"},
			"id":       u, "type": []any{"VerifiableCredential", "BitstringStatusListCredential"},
			"issuer": issuer.did, "validFrom": now.Add(-time.Hour).Format(time.RFC3339),
			"credentialSubject": map[string]any{"id": u + "#list", "type": "BitstringStatusList",
				"statusPurpose": "revocation", "encodedList": "u" + encoded}}
		signed, err := ldproof.Sign(doc, map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
			"verificationMethod": issuer.kid, "proofPurpose": "assertionMethod", "created": now.Add(-time.Hour).Format(time.RFC3339)}, issuer.priv, nil)
		if err != nil {
			t.Fatal(err)
		}
		return signed
	}
	host.lists["/bsl"], _ = json.Marshal(bsl("/bsl", encodedList(t, 131072, revokedIndex)))
	broken := bsl("/bsl-broken", encodedList(t, 131072))
	broken["credentialSubject"].(map[string]any)["encodedList"] = "u" + encodedList(t, 131072, revokedIndex)
	host.lists["/bsl-broken"], _ = json.Marshal(broken)

	// A credential whose status is entry type at list URL and index i, in
	// a presentation for the session's nonce and our client_id.
	presentation := func(clientID, entryType, listURL string, i int) func(string) string {
		vc := issuer.signJWT(t, map[string]any{"iss": issuer.did, "sub": holder.did, "nbf": now.Add(-time.Hour).Unix(),
			"jti": "urn:uuid:" + randomHex(8), "vc": map[string]any{
				"@context":          []any{"https://www.w3.org/2018/credentials/v1"},
				"type":              []any{"VerifiableCredential", "UniversityDegreeCredential"},
				"credentialSubject": map[string]any{"name": "Alice"},
				"credentialStatus": map[string]any{"id": listURL + "#" + strconv.Itoa(i), "type": entryType,
					"statusPurpose": "revocation", "statusListIndex": strconv.Itoa(i), "statusListCredential": listURL}}})
		return func(nonce string) string {
			return holder.signJWT(t, map[string]any{"iss": holder.did, "aud": clientID, "nonce": nonce, "iat": now.Unix(),
				"vp": map[string]any{"@context": []any{"https://www.w3.org/2018/credentials/v1"},
					"type": []any{"VerifiablePresentation"}, "verifiableCredential": []any{vc}}})
		}
	}
	sub := jwtSubmission("degree-jwt", "degree", 0)
	trusting := fmt.Sprintf("status:\n  allow_private_addresses: true\n  ca_file: %q\n", caFile)

	p, st := startStatusService(t, trusting+statusDefinitions)
	clientID := p.PublicURL + "/oid4vp/response"
	cases := []struct {
		name, entry, url string
		index            int
		reason, state    string // reason "" = verified
	}{
		{"StatusList2021 valid", "StatusList2021Entry", host.URL + "/sl2021", validIndex, "", "active"},
		{"StatusList2021 revoked", "StatusList2021Entry", host.URL + "/sl2021", revokedIndex, "revoked", ""},
		{"StatusList2021 broken list signature", "StatusList2021Entry", host.URL + "/sl2021-broken", validIndex, "credential_status_unknown", ""},
		{"BitstringStatusList valid", "BitstringStatusListEntry", host.URL + "/bsl", validIndex, "", "active"},
		{"BitstringStatusList revoked", "BitstringStatusListEntry", host.URL + "/bsl", revokedIndex, "revoked", ""},
		{"BitstringStatusList broken list signature", "BitstringStatusListEntry", host.URL + "/bsl-broken", validIndex, "credential_status_unknown", ""},
		{"unreachable list", "StatusList2021Entry", goneURL + "/sl2021", validIndex, "credential_status_unknown", ""},
		{"no such list", "BitstringStatusListEntry", host.URL + "/missing", validIndex, "credential_status_unknown", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st.t = t
			out := answerOn(t, st, nil, "degree-jwt", "cross-device", "", presentation(clientID, tc.entry, tc.url, tc.index), sub)
			checkStatusOutcome(t, out, tc.reason, tc.entry, tc.state)
		})
	}

	t.Run("fail open", func(t *testing.T) {
		p, st := startStatusService(t, trusting+"  fail_open: true\n"+statusDefinitions)
		out := answerOn(t, st, nil, "degree-jwt", "cross-device", "", presentation(p.PublicURL+"/oid4vp/response", "StatusList2021Entry", goneURL+"/sl2021", validIndex), sub)
		checkStatusOutcome(t, out, "", "StatusList2021Entry", "unknown")
	})
	t.Run("defaults refuse a loopback list host", func(t *testing.T) {
		p, st := startStatusService(t, statusDefinitions)
		out := answerOn(t, st, nil, "degree-jwt", "cross-device", "", presentation(p.PublicURL+"/oid4vp/response", "StatusList2021Entry", host.URL+"/sl2021", validIndex), sub)
		checkStatusOutcome(t, out, "credential_status_unknown", "", "")
	})
}

func checkStatusOutcome(t *testing.T, out outcome, reason, method, state string) {
	t.Helper()
	if reason != "" {
		if out.code != http.StatusBadRequest || out.reason != reason || out.status != "failed" {
			t.Errorf("%d %s, session %s; want 400 %s", out.code, out.reason, out.status, reason)
		}
		return
	}
	if out.code != http.StatusOK || out.status != "verified" {
		t.Fatalf("%d %s; want verified", out.code, out.reason)
	}
	got, _ := json.Marshal(out.result["credentials"].([]any)[0].(map[string]any)["status"])
	if want := fmt.Sprintf(`{"methods":[%q],"state":%q}`, method, state); string(got) != want {
		t.Errorf("status %s, want %s", got, want)
	}
}
