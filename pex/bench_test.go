package pex

import "testing"

// BenchmarkEvaluate measures Evaluate alone: bench/pd.json (2 descriptors, 5
// fields) against the 1- and 3-credential presentations, decoded once.
func BenchmarkEvaluate(b *testing.B) {
	d := mustDefinition(b, benchFile(b, "pd.json"))
	for _, bc := range []struct{ name, vp, sub string }{
		{"1vc", "vp1-jcs.json", "submission1.json"},
		{"3vc", "vp3-jcs.json", "submission3.json"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			vp := decode(b, benchFile(b, bc.vp))
			sub := mustSubmission(b, benchFile(b, bc.sub))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.Evaluate(sub, vp); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseSubmission: the other per-request step of this package.
func BenchmarkParseSubmission(b *testing.B) {
	raw := benchFile(b, "submission3.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseSubmission(raw); err != nil {
			b.Fatal(err)
		}
	}
}
