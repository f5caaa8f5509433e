package ldproof

import (
	"crypto/subtle"
	"time"
)

func checkPurpose(proof map[string]any, opts *Options) error {
	switch p := proof["proofPurpose"].(type) {
	case nil:
		if opts.AllowMissingPurpose {
			return nil
		}
		return newError(CodeWrongProofPurpose, "proof has no proofPurpose, %s is required", opts.Purpose)
	case string:
		if Purpose(p) == opts.Purpose {
			return nil
		}
		return newError(CodeWrongProofPurpose, "proofPurpose is %q, %s is required", clip(p), opts.Purpose)
	default:
		return newError(CodeMalformedProof, "proofPurpose is a %s, want a string", jsonKind(p))
	}
}

// checkChallenge: the challenge binds a presentation to this request
// (replay protection), so when one is expected it must be there and equal.
func checkChallenge(proof map[string]any, want string) error {
	if want == "" {
		return nil
	}
	got, ok := proof["challenge"].(string)
	if !ok {
		return newError(CodeChallengeMismatch, "proof has no challenge, one was required")
	}
	if !equal(got, want) {
		return newError(CodeChallengeMismatch, "proof challenge does not match the one issued with this request")
	}
	return nil
}

// checkDomain: proof.domain is a string or an array of strings (VC Data
// Integrity §2.1); the expected domain must be it or among them.
func checkDomain(proof map[string]any, want string) error {
	if want == "" {
		return nil
	}
	switch d := proof["domain"].(type) {
	case nil:
		return newError(CodeDomainMismatch, "proof has no domain, %q was required", clip(want))
	case string:
		if equal(d, want) {
			return nil
		}
	case []any:
		for _, e := range d {
			if s, ok := e.(string); ok && equal(s, want) {
				return nil
			}
		}
	default:
		return newError(CodeMalformedProof, "proof domain is a %s, want a string or an array of strings", jsonKind(d))
	}
	return newError(CodeDomainMismatch, "proof domain does not include %q", clip(want))
}

// checkCreated parses proof.created (XML Schema dateTime; without a zone it
// is read as UTC) and refuses one too far in the future. A missing created
// is allowed: JcsEd25519Signature2020 does not require it and identity.rs
// omits it.
func checkCreated(proof map[string]any, now time.Time) (time.Time, error) {
	v, present := proof["created"]
	if !present {
		return time.Time{}, nil
	}
	s, ok := v.(string)
	if !ok {
		return time.Time{}, newError(CodeMalformedProof, "proof created is a %s, want a dateTime string", jsonKind(v))
	}
	created, err := parseDateTime(s)
	if err != nil {
		return time.Time{}, &Error{Code: CodeMalformedProof, Reason: "proof created is not an XML Schema dateTime", Err: err}
	}
	if created.After(now.Add(MaxClockSkew)) {
		return time.Time{}, newError(CodeCreatedInFuture, "proof created %s is after now (%s) plus the allowed clock skew of %s",
			created.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339), MaxClockSkew)
	}
	return created, nil
}

// checkExpires: VC Data Integrity's optional proof.expires, after which the
// proof "MUST NOT" be considered valid.
func checkExpires(proof map[string]any, now time.Time) error {
	v, present := proof["expires"]
	if !present {
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return newError(CodeMalformedProof, "proof expires is a %s, want a dateTime string", jsonKind(v))
	}
	expires, err := parseDateTime(s)
	if err != nil {
		return &Error{Code: CodeMalformedProof, Reason: "proof expires is not an XML Schema dateTime", Err: err}
	}
	if !expires.After(now.Add(-MaxClockSkew)) {
		return newError(CodeProofExpired, "proof expired at %s", expires.UTC().Format(time.RFC3339))
	}
	return nil
}

// parseDateTime reads an XML Schema dateTime; without a zone it is UTC.
func parseDateTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		var err2 error
		if t, err2 = time.ParseInLocation("2006-01-02T15:04:05.999999999", s, time.UTC); err2 != nil {
			return time.Time{}, err
		}
	}
	return t, nil
}

// equal compares in constant time so that a challenge cannot be guessed
// byte by byte from response timing.
func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
