package verifier_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/poison"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/testwallet"
	"github.com/loginwithiota/verifier/verifier"
)

// BenchmarkHandleResponse is a whole verification of a VP with one
// credential: state lookup, submission, PEX, both JCS proofs with did:key
// resolution, holder binding, validity, and the compare-and-set completion
// on the memory store.
func BenchmarkHandleResponse(b *testing.B) {
	ctx := context.Background()
	clk := &clock{t: time.Now()}
	v, store := newVerifier(b, clk)
	issuer, holder := testwallet.NewParty(), testwallet.NewParty()
	vc, err := issuer.Issue(holder.DID, testwallet.Credential{Types: []string{"VerifiableId"}, Subject: map[string]any{"firstName": "Jane"}})
	if err != nil {
		b.Fatal(err)
	}
	const nonce = "bench-nonce-0123456789"
	vp, err := holder.Present([]map[string]any{vc}, nonce, v.ClientID())
	if err != nil {
		b.Fatal(err)
	}
	vpJSON, _ := json.Marshal(vp)
	subJSON, _ := json.Marshal(testwallet.Submission("verifiable-id", []string{"verifiable-id-credential"}, []int{0}))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		now := clk.Now()
		s := pendingSession(fmt.Sprintf("id-%d", i), nonce, now)
		if err := store.Create(ctx, s); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		out, err := v.HandleResponse(ctx, verifier.Response{VPToken: string(vpJSON), PresentationSubmission: string(subJSON), State: s.State})
		if err != nil || out.Session.Status != session.StatusVerified {
			b.Fatalf("%v %+v", err, out.Session.Error)
		}
	}
}

// BenchmarkHandleResponseWorstCase is the whole verification of issue 9's
// hostile answers, each under 256 KiB, with a key that resolves and the
// request's challenge and domain, so that nothing short of the bounds
// stops them: the CPU an attacker holding a state can make one answer
// cost. Each must end in a refusal.
func BenchmarkHandleResponseWorstCase(b *testing.B) {
	ctx := context.Background()
	clk := &clock{t: time.Now()}
	v, store := newVerifier(b, clk)
	issuer, holder := testwallet.NewParty(), testwallet.NewParty()
	vc, err := issuer.Issue(holder.DID, testwallet.Credential{Types: []string{"VerifiableId"}})
	if err != nil {
		b.Fatal(err)
	}
	const nonce = "bench-nonce-0123456789"
	subJSON, _ := json.Marshal(testwallet.Submission("verifiable-id", []string{"verifiable-id-credential"}, []int{0}))
	for _, tc := range []struct {
		name string
		raw  []byte
	}{
		{"id-less-nodes", poison.IDLessNodes(4500)},
		{"many-values", poison.ManyValues(16000)},
		{"deep-nesting", poison.DeepNesting(4500)},
		{"many-proofs", poison.ManyProofs(300, 1000)},
		{"panic-context", poison.PanicContext()},
		// Just under the node and value budgets: refused by the work
		// budget, the most an answer can make canonicalization cost.
		{"alike-nodes-at-budget", poison.IDLessNodes(1400)},
	} {
		vp := poison.Decode(tc.raw)
		vp["holder"] = holder.DID
		vp["verifiableCredential"] = []any{vc}
		proofs, isList := vp["proof"].([]any)
		if !isList {
			proofs = []any{vp["proof"]}
		}
		for _, p := range proofs {
			m := p.(map[string]any)
			m["verificationMethod"], m["challenge"], m["domain"] = holder.VMID, nonce, v.ClientID()
		}
		vpJSON, _ := json.Marshal(vp)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(vpJSON)))
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				s := pendingSession(fmt.Sprintf("%s-%d", tc.name, i), nonce, clk.Now())
				if err := store.Create(ctx, s); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := v.HandleResponse(ctx, verifier.Response{VPToken: string(vpJSON), PresentationSubmission: string(subJSON), State: s.State}); err == nil {
					b.Fatal("a hostile answer was accepted")
				}
			}
		})
	}
}
