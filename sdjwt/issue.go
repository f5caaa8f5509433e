package sdjwt

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"hash"
	"io"
	"slices"
	"strings"
)

// IssueOptions tune Issue.
type IssueOptions struct {
	// Typ is the typ header (empty: dc+sd-jwt).
	Typ string
	// HashAlg is _sd_alg (empty: sha-256).
	HashAlg string
	// Decoys is how many decoy digests to add to the top-level _sd (RFC
	// 9901 §4.2.5).
	Decoys int
	// Plain issues a bare RFC 9901 SD-JWT: no vct required, registered
	// claims may be made disclosable.
	Plain bool
	// Rand is the source of salts and decoys (nil: crypto/rand).
	Rand io.Reader
}

// saltBytes is the salt's entropy: RFC 9901 §9.3 "The RECOMMENDED minimum
// length of the randomly-generated portion of the salt is 128 bits."
const saltBytes = 16

// Issue makes a compact SD-JWT VC of claims (which it does not modify),
// each path of disclose made selectively disclosable: an object member
// becomes a digest in its object's _sd, an array element a {"...":
// digest}. A path may end in nil (every element of an array) and may run
// through another disclosable claim (a recursive disclosure). A path that
// selects nothing is an error, so a typo never leaves a claim in the
// clear. Holder binding is the caller's: put cnf in claims (JWKOf).
func Issue(claims map[string]any, disclose []Path, signer Signer, opts IssueOptions) (string, error) {
	is := &issuer{rnd: opts.Rand, hashAlg: opts.HashAlg, paths: disclose, hit: make([]bool, len(disclose))}
	if is.rnd == nil {
		is.rnd = rand.Reader
	}
	if is.hashAlg == "" {
		is.hashAlg = HashSHA256
	}
	if is.hash = hasher(is.hashAlg); is.hash == nil {
		return "", newError(CodeIssue, "unknown hash %q", clip(is.hashAlg))
	}
	typ := opts.Typ
	if typ == "" {
		typ = TypeDC
	}
	if !opts.Plain {
		if vct, _ := claims["vct"].(string); vct == "" {
			return "", newError(CodeIssue, "an SD-JWT VC needs a vct")
		}
		for _, p := range disclose {
			if len(p) == 1 && nonDisclosable[keyOf(p[0])] {
				return "", newError(CodeIssue, "SD-JWT VC keeps %q in the clear", keyOf(p[0]))
			}
		}
	}
	if _, ok := claims["_sd_alg"]; ok {
		return "", newError(CodeIssue, "_sd_alg is set by Issue")
	}
	v, err := is.transform(claims, nil)
	if err != nil {
		return "", err
	}
	payload := v.(map[string]any)
	for i, hit := range is.hit {
		if !hit {
			return "", newError(CodeIssue, "disclose[%d] selects no claim", i)
		}
	}
	if opts.Decoys > 0 {
		sd, _ := payload["_sd"].([]string)
		for range opts.Decoys {
			d, err := is.random()
			if err != nil {
				return "", err
			}
			sd = append(sd, digest(is.hash, d))
		}
		slices.Sort(sd)
		payload["_sd"] = sd
	}
	payload["_sd_alg"] = is.hashAlg
	jwt, err := signer.sign(typ, payload)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(jwt)
	b.WriteByte('~')
	for _, d := range is.disclosures {
		b.WriteString(d)
		b.WriteByte('~')
	}
	return b.String(), nil
}

type issuer struct {
	rnd         io.Reader
	hashAlg     string
	hash        func() hash.Hash
	paths       []Path
	hit         []bool
	disclosures []string
}

func keyOf(c any) string {
	s, _ := c.(string)
	return s
}

// selected reports whether some path selects concrete, marking it used.
func (is *issuer) selected(concrete []any) bool {
	found := false
	for i, p := range is.paths {
		if p.equalTo(concrete) {
			is.hit[i], found = true, true
		}
	}
	return found
}

// transform copies v with the selected claims below it replaced by
// digests, innermost first, so a disclosure's value carries the digests
// of what is disclosable inside it.
func (is *issuer) transform(v any, path []any) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		var sd []string
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if k == "_sd" || k == "..." {
				return nil, newError(CodeIssue, "claims may not use the reserved name %q", k)
			}
			p := child(path, k)
			cv, err := is.transform(v[k], p)
			if err != nil {
				return nil, err
			}
			if !is.selected(p) {
				out[k] = cv
				continue
			}
			dg, err := is.disclose(k, cv, true)
			if err != nil {
				return nil, err
			}
			sd = append(sd, dg)
		}
		if len(sd) > 0 {
			// §4.2.4.1: "The Issuer MUST hide the original order of the
			// claims in the array."
			slices.Sort(sd)
			out["_sd"] = sd
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			p := child(path, i)
			cv, err := is.transform(e, p)
			if err != nil {
				return nil, err
			}
			if !is.selected(p) {
				out[i] = cv
				continue
			}
			dg, err := is.disclose("", cv, false)
			if err != nil {
				return nil, err
			}
			out[i] = map[string]any{"...": dg}
		}
		return out, nil
	}
	return v, nil
}

// disclose makes the disclosure [salt, name, value] (or [salt, value])
// and returns its digest.
func (is *issuer) disclose(name string, value any, member bool) (string, error) {
	salt, err := is.random()
	if err != nil {
		return "", err
	}
	arr := []any{salt, value}
	if member {
		arr = []any{salt, name, value}
	}
	raw, err := json.Marshal(arr)
	if err != nil {
		return "", wrapError(CodeIssue, err, "a claim cannot be encoded")
	}
	d := base64.RawURLEncoding.EncodeToString(raw)
	is.disclosures = append(is.disclosures, d)
	return digest(is.hash, d), nil
}

func (is *issuer) random() (string, error) {
	b := make([]byte, saltBytes)
	if _, err := io.ReadFull(is.rnd, b); err != nil {
		return "", wrapError(CodeIssue, err, "no randomness")
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
