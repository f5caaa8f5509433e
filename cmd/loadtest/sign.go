package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gowebpki/jcs"
	"github.com/mr-tron/base58"
)

// presenter signs a holder's presentations of one credential with
// JcsEd25519Signature2020 itself, writing the canonical (RFC 8785) form of
// the presentation directly: its members in JCS order around the
// credential's canonical bytes, computed once. testwallet's general path
// (marshal, canonicalize, sign, marshal again) cost the load generator
// more CPU per login than the verifier spends on the presentation; this
// keeps the generator's share of the machine small. The verifier checks
// every signature, so a mistake here fails the first login.
type presenter struct {
	priv    ed25519.PrivateKey
	did, vm string
	vc      []byte // the credential, canonical JSON
}

func newPresenter(priv ed25519.PrivateKey, did, vm string, vc map[string]any) (*presenter, error) {
	raw, err := json.Marshal(vc)
	if err != nil {
		return nil, err
	}
	canon, err := jcs.Transform(raw)
	if err != nil {
		return nil, err
	}
	return &presenter{priv: priv, did: did, vm: vm, vc: canon}, nil
}

// present returns the signed presentation for challenge and domain, as JSON.
func (p *presenter) present(challenge, domain string, now time.Time) ([]byte, error) {
	for _, s := range []string{challenge, domain, p.did, p.vm} {
		if !plain(s) {
			return nil, fmt.Errorf("cannot write %q canonically without escaping", s)
		}
	}
	var id [16]byte
	_, _ = rand.Read(id[:])
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	h := hex.EncodeToString(id[:])
	uuid := h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	created := now.UTC().Format(time.RFC3339)

	// Members sorted by name (JCS): @context, holder, id, proof, type,
	// verifiableCredential; and in the proof: challenge, created, domain,
	// proofPurpose, [signatureValue,] type, verificationMethod.
	build := func(sig string) []byte {
		b := make([]byte, 0, 256+len(p.vc))
		b = append(b, `{"@context":["https://www.w3.org/2018/credentials/v1"],"holder":"`...)
		b = append(b, p.did...)
		b = append(b, `","id":"urn:uuid:`...)
		b = append(b, uuid...)
		b = append(b, `","proof":{"challenge":"`...)
		b = append(b, challenge...)
		b = append(b, `","created":"`...)
		b = append(b, created...)
		b = append(b, `","domain":"`...)
		b = append(b, domain...)
		b = append(b, `","proofPurpose":"authentication",`...)
		if sig != "" {
			b = append(b, `"signatureValue":"`...)
			b = append(b, sig...)
			b = append(b, `",`...)
		}
		b = append(b, `"type":"JcsEd25519Signature2020","verificationMethod":"`...)
		b = append(b, p.vm...)
		b = append(b, `"},"type":["VerifiablePresentation"],"verifiableCredential":[`...)
		b = append(b, p.vc...)
		b = append(b, "]}"...)
		return b
	}
	sig := base58.Encode(ed25519.Sign(p.priv, build("")))
	return build(sig), nil
}

// plain reports whether s is printable ASCII that JSON writes as it is
// (no quote, backslash or control character), so quoting it is canonical.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// unsigned is the canonical form a verifier signs over: the document with
// its proof minus signatureValue (for the test).
func unsigned(vp []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.NewDecoder(bytes.NewReader(vp)).Decode(&doc); err != nil {
		return nil, err
	}
	delete(doc["proof"].(map[string]any), "signatureValue")
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return jcs.Transform(raw)
}
