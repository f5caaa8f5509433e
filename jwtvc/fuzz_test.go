package jwtvc_test

import (
	"testing"
	"time"

	"github.com/loginwithiota/verifier/jwtvc"
)

// FuzzVerifyPresentation: the vp_token is wallet input. Whatever it is,
// verification returns an *Error with a code, or a presentation whose
// credentials match vp.verifiableCredential; it never panics.
func FuzzVerifyPresentation(f *testing.F) {
	s := loadSynthetic(f)
	for _, tok := range s.Tokens {
		f.Add(tok)
	}
	f.Add(readToken(f, "vp.jwt"))
	f.Add(readToken(f, "vc.jwt"))
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("eyJhbGciOiJFZERTQSJ9.eyJ2cCI6eyJ0eXBlIjoiVmVyaWZpYWJsZVByZXNlbnRhdGlvbiIsInZlcmlmaWFibGVDcmVkZW50aWFsIjpbIngiXX19.AA")
	keys := keysFor(f, s)
	opts := jwtvc.Options{Nonce: s.Nonce, Audience: s.Audience, Now: func() time.Time { return time.Unix(1772366700, 0) }}
	f.Fuzz(func(t *testing.T, token string) {
		p, err := jwtvc.VerifyPresentation(ctx, token, keys, opts)
		if err != nil {
			if jwtvc.Code(err) == "" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		if p.Holder == "" || p.Key == nil {
			t.Fatalf("presentation without holder or key: %+v", p)
		}
		for _, c := range p.Credentials {
			if c.Issuer == "" || c.Key == nil || c.VC == nil {
				t.Fatalf("credential without issuer, key or VC: %+v", c)
			}
		}
	})
}

// FuzzVerifyCredential does the same for credentials on their own.
func FuzzVerifyCredential(f *testing.F) {
	s := loadSynthetic(f)
	for _, name := range []string{"vc", "vcLegacy", "vcV2"} {
		f.Add(s.Tokens[name])
	}
	keys := keysFor(f, s)
	opts := jwtvc.Options{Now: func() time.Time { return time.Unix(1772366700, 0) }}
	f.Fuzz(func(t *testing.T, token string) {
		c, err := jwtvc.VerifyCredential(ctx, token, keys, opts)
		if err != nil {
			if jwtvc.Code(err) == "" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		if c.Issuer == "" || c.VC == nil {
			t.Fatalf("credential = %+v", c)
		}
	})
}
