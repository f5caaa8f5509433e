package verifier_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

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
