package sdjwt

import (
	"strings"
	"time"
)

// Holder is what a KB-JWT is made of: the holder's key (the one cnf
// names), the request's nonce and the verifier's full client identifier.
type Holder struct {
	Signer   Signer
	Nonce    string
	Audience string
	// IssuedAt is the KB-JWT's iat (zero: now).
	IssuedAt time.Time
}

// Present makes a presentation of an issued SD-JWT: the disclosures
// related to a path of disclose (on the way to a selected claim, or
// inside one; DiscloseAll for every one), in issued order, and, if holder
// is not nil, a KB-JWT over them (RFC 9901 §7.2). issued is parsed, not
// verified: the holder checked it when it was issued.
func Present(issued string, disclose []Path, holder *Holder) (string, error) {
	t, err := Parse(issued, Options{Plain: true, HashAlgorithms: []string{HashSHA256, HashSHA384, HashSHA512}})
	if err != nil {
		return "", err
	}
	// §7.2: "If the Holder receives an SD-JWT+KB, it MUST be rejected."
	if t.HasKeyBinding() {
		return "", newError(CodeIssue, "the issued SD-JWT already has a KB-JWT")
	}
	var b strings.Builder
	b.WriteString(t.issuerJWT)
	b.WriteByte('~')
	for _, d := range t.disc {
		for _, p := range disclose {
			if p.related(d.Path) {
				b.WriteString(d.Raw)
				b.WriteByte('~')
				break
			}
		}
	}
	presented := b.String()
	if holder == nil {
		return presented, nil
	}
	iat := holder.IssuedAt
	if iat.IsZero() {
		iat = time.Now()
	}
	kb, err := holder.Signer.sign(TypeKB, map[string]any{
		"iat":     iat.Unix(),
		"aud":     holder.Audience,
		"nonce":   holder.Nonce,
		"sd_hash": digest(t.hash, presented),
	})
	if err != nil {
		return "", err
	}
	return presented + kb, nil
}
