package sdjwt

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"hash"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// parseAlgorithms is every alg go-jose knows, so that an issuer-signed
// JWT with one we refuse is reported as alg_not_allowed, not malformed;
// the allowed ones are checked at Verify, before any key is used. "none"
// is not among them: go-jose never parses it.
var parseAlgorithms = []jose.SignatureAlgorithm{
	jose.EdDSA, jose.ES256, jose.ES384, jose.ES512, jose.RS256, jose.RS384, jose.RS512,
	jose.PS256, jose.PS384, jose.PS512, jose.HS256, jose.HS384, jose.HS512,
}

// Header is the protected header of the issuer-signed JWT.
type Header struct {
	Alg, Typ, Kid string
	// X5C is the parsed x5c chain, leaf first (nil when absent).
	X5C []*x509.Certificate
}

// Disclosure is one disclosure of a presentation, as decoded and placed.
type Disclosure struct {
	Raw    string // the base64url text, as presented
	Digest string // base64url of its hash under _sd_alg
	Salt   string
	// Name is the claim name of an object property disclosure; "" for an
	// array element ([salt, value]).
	Name         string
	ArrayElement bool
	Value        any // as disclosed (before its own digests are resolved)
	// Path is where the disclosed value is in the processed payload, as a
	// claims path pointer of strings and array indices.
	Path []any
}

// Token is an SD-JWT (or SD-JWT+KB) parsed once: its digests resolved
// against its disclosures, so the processed claims are readable before
// anything is trusted (query matching), and Verify checks that same
// parse.
type Token struct {
	raw       string
	presented string // <issuer JWT>~<disclosures>~: what sd_hash covers
	issuerJWT string
	jws       *jose.JSONWebSignature
	header    Header
	payload   map[string]any // as signed, unprocessed
	sdAlg     string
	hash      func() hash.Hash
	disc      []*Disclosure
	kb        string
	claims    map[string]any // processed
}

// Parse reads a compact SD-JWT or SD-JWT+KB within opts.Limits, decodes
// its disclosures and resolves them against the digests of the
// issuer-signed JWT (RFC 9901 §7.1 step 3 to 5). Nothing is verified: no
// signature, no time, no key binding (Token.Verify does that).
func Parse(compact string, opts Options) (*Token, error) {
	lim := opts.Limits
	if len(compact) > lim.maxBytes() {
		return nil, newError(CodeTooLarge, "presentation of %d bytes exceeds %d", len(compact), lim.maxBytes())
	}
	parts := strings.Split(compact, "~")
	// RFC 9901 §4: "In the case that there is no Key Binding JWT, the last
	// element MUST be an empty string and the last separating tilde
	// character MUST NOT be omitted."
	if len(parts) < 2 {
		return nil, newError(CodeMalformed, "not an SD-JWT: no '~' after the issuer-signed JWT")
	}
	if n := len(parts) - 2; n > lim.maxDisclosures() {
		return nil, newError(CodeTooLarge, "%d disclosures exceed %d", n, lim.maxDisclosures())
	}
	kb := parts[len(parts)-1]
	t := &Token{raw: compact, presented: compact[:len(compact)-len(kb)], issuerJWT: parts[0], kb: kb}
	if err := t.parseIssuerJWT(lim); err != nil {
		return nil, err
	}
	if err := t.parseSDAlg(opts); err != nil {
		return nil, err
	}
	if err := t.decodeDisclosures(parts[1:len(parts)-1], lim); err != nil {
		return nil, err
	}
	claims, err := t.process(lim)
	if err != nil {
		return nil, err
	}
	t.claims = claims
	return t, nil
}

func (t *Token) parseIssuerJWT(lim Limits) error {
	jws, err := jose.ParseSignedCompact(t.issuerJWT, parseAlgorithms)
	if err != nil {
		return wrapError(CodeMalformed, err, "the issuer-signed JWT is not a JWS compact serialisation")
	}
	if len(jws.Signatures) != 1 {
		return newError(CodeMalformed, "the issuer-signed JWT has %d signatures, want 1", len(jws.Signatures))
	}
	h := jws.Signatures[0].Protected
	t.jws = jws
	t.header = Header{Alg: h.Algorithm, Kid: h.KeyID}
	if typ, ok := h.ExtraHeaders[jose.HeaderType].(string); ok {
		t.header.Typ = typ
	}
	// go-jose checked x5c parses but keeps the chain to itself.
	if t.header.X5C, err = x5cOf(t.issuerJWT); err != nil {
		return err
	}
	payload := jws.UnsafePayloadWithoutVerification()
	if d := jsonDepth(payload); d > lim.maxDepth() {
		return newError(CodeTooLarge, "the issuer-signed JWT nests %d deep, more than %d", d, lim.maxDepth())
	}
	if err := json.Unmarshal(payload, &t.payload); err != nil || t.payload == nil {
		return newError(CodeMalformed, "the issuer-signed JWT's payload is not a JSON object")
	}
	return nil
}

// maxChain bounds an x5c chain.
const maxChain = 8

// x5cOf reads the x5c of a compact JWS's protected header: base64 (not
// base64url) DER certificates, leaf first (RFC 7515 §4.1.6).
func x5cOf(compact string) ([]*x509.Certificate, error) {
	enc, _, _ := strings.Cut(compact, ".")
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return nil, newError(CodeMalformed, "the protected header is not base64url")
	}
	var h struct {
		X5C []string `json:"x5c"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, newError(CodeMalformed, "the protected header's x5c is not an array of strings")
	}
	if len(h.X5C) > maxChain {
		return nil, newError(CodeTooLarge, "x5c holds %d certificates, more than %d", len(h.X5C), maxChain)
	}
	var chain []*x509.Certificate
	for i, c := range h.X5C {
		der, err := base64.StdEncoding.DecodeString(c)
		if err != nil {
			return nil, newError(CodeMalformed, "x5c[%d] is not base64", i)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, wrapError(CodeMalformed, err, "x5c[%d] is not a certificate", i)
		}
		chain = append(chain, cert)
	}
	return chain, nil
}

// parseSDAlg reads _sd_alg: RFC 9901 §4.1.1 "If the _sd_alg claim is not
// present at the top level, a default value of sha-256 MUST be used."
func (t *Token) parseSDAlg(opts Options) error {
	t.sdAlg = HashSHA256
	if v, ok := t.payload["_sd_alg"]; ok {
		s, isString := v.(string)
		if !isString {
			return newError(CodeMalformed, "_sd_alg is not a string")
		}
		t.sdAlg = s
	}
	// §7.1 2.5: "Check that the _sd_alg claim value is understood and the
	// hash algorithm is deemed secure according to the … Verifier's
	// policy."
	t.hash = hasher(t.sdAlg)
	if t.hash == nil || !opts.hashAllowed(t.sdAlg) {
		return newError(CodeHashAlg, "_sd_alg %q is not accepted", clip(t.sdAlg))
	}
	return nil
}

func (t *Token) decodeDisclosures(raw []string, lim Limits) error {
	t.disc = make([]*Disclosure, 0, len(raw))
	seen := make(map[string]int, len(raw))
	for i, r := range raw {
		d, err := decodeDisclosure(r, i, lim)
		if err != nil {
			return err
		}
		d.Digest = digest(t.hash, r)
		// §4: "A Holder MUST NOT … send a Disclosure more than once."
		if j, dup := seen[d.Digest]; dup {
			return newError(CodeDisclosureDuplicate, "disclosure %d repeats disclosure %d", i, j)
		}
		seen[d.Digest] = i
		t.disc = append(t.disc, d)
	}
	return nil
}

// decodeDisclosure reads base64url(JSON array): [salt, name, value] or
// [salt, value] (RFC 9901 §4.2.1, §4.2.2).
func decodeDisclosure(raw string, i int, lim Limits) (*Disclosure, error) {
	if raw == "" {
		return nil, newError(CodeMalformed, "disclosure %d is empty (two '~' in a row)", i)
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return nil, newError(CodeDisclosureMalformed, "disclosure %d is not base64url", i)
	}
	if d := jsonDepth(b); d > lim.maxDepth() {
		return nil, newError(CodeTooLarge, "disclosure %d nests %d deep, more than %d", i, d, lim.maxDepth())
	}
	var arr []any
	if err := json.Unmarshal(b, &arr); err != nil {
		return nil, newError(CodeDisclosureMalformed, "disclosure %d is not a JSON array", i)
	}
	d := &Disclosure{Raw: raw}
	var ok bool
	switch len(arr) {
	case 3:
		d.Salt, ok = arr[0].(string)
		if !ok {
			return nil, newError(CodeDisclosureMalformed, "disclosure %d: the salt is not a string", i)
		}
		d.Name, ok = arr[1].(string)
		if !ok {
			return nil, newError(CodeDisclosureMalformed, "disclosure %d: the claim name is not a string", i)
		}
		d.Value = arr[2]
	case 2:
		d.Salt, ok = arr[0].(string)
		if !ok {
			return nil, newError(CodeDisclosureMalformed, "disclosure %d: the salt is not a string", i)
		}
		d.ArrayElement, d.Value = true, arr[1]
	default:
		return nil, newError(CodeDisclosureMalformed, "disclosure %d has %d elements, want 3 (a claim) or 2 (an array element)", i, len(arr))
	}
	return d, nil
}

// Header is the issuer-signed JWT's protected header.
func (t *Token) Header() Header { return t.header }

// Claims is the processed payload (digests resolved, _sd, _sd_alg and
// undisclosed array elements removed), unverified. The map is shared: do
// not modify it.
func (t *Token) Claims() map[string]any { return t.claims }

// Disclosures are the presented disclosures, in order, each with its
// place in Claims.
func (t *Token) Disclosures() []*Disclosure { return t.disc }

// HasKeyBinding reports whether a KB-JWT was presented.
func (t *Token) HasKeyBinding() bool { return t.kb != "" }

// HashAlg is the _sd_alg in force.
func (t *Token) HashAlg() string { return t.sdAlg }

// IssuerJWT is the issuer-signed JWT as presented.
func (t *Token) IssuerJWT() string { return t.issuerJWT }

// Raw is the presentation as parsed.
func (t *Token) Raw() string { return t.raw }
