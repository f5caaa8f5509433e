package sdjwt_test

import (
	"testing"

	"github.com/loginwithiota/verifier/sdjwt"
)

// FuzzParse feeds Parse and Verify hostile presentations: they must
// answer, never panic, and every failure must be an *sdjwt.Error.
func FuzzParse(f *testing.F) {
	fx := newFixture(f)
	f.Add(fx.present(f, sdjwt.DiscloseAll...))
	f.Add(fx.present(f, sdjwt.Path{"nationalities", 0}))
	f.Add(fx.issued)
	f.Add("a.b.c~~")
	f.Add("~")
	f.Add(signRaw(f, edKey(0), sdjwt.TypeDC, map[string]any{"vct": testVCT, "_sd": []any{"x", 1}, "a": []any{map[string]any{"...": 2}}}) + "~WyJhIiwiYiJd~")
	opts := fx.opts()
	opts.Limits = sdjwt.Limits{MaxBytes: 16 << 10, MaxDisclosures: 32, MaxDepth: 12}
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := sdjwt.Parse(s, opts)
		if err != nil {
			if sdjwt.Code(err) == "" {
				t.Fatalf("not an *sdjwt.Error: %v", err)
			}
			return
		}
		if _, err := tok.Verify(ctx, opts); err != nil && sdjwt.Code(err) == "" {
			t.Fatalf("not an *sdjwt.Error: %v", err)
		}
	})
}
