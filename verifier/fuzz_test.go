package verifier_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/poison"
	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/testwallet"
	"github.com/loginwithiota/verifier/verifier"
)

// FuzzHandleResponse feeds arbitrary wallet input to the pipeline: it must
// never panic, and must answer either a verified session, a processed
// decline, or a *oauth.Error that is not a server error.
func FuzzHandleResponse(f *testing.F) {
	clk := &clock{t: time.Now()}
	v, store := newVerifier(f, clk)
	issuer, holder := testwallet.NewParty(), testwallet.NewParty()
	vc, err := issuer.Issue(holder.DID, testwallet.Credential{Types: []string{"VerifiableId"}})
	if err != nil {
		f.Fatal(err)
	}
	const nonce = "fuzz-nonce-0123456789abc"
	vp, _ := holder.Present([]map[string]any{vc}, nonce, v.ClientID())
	vpJSON, _ := json.Marshal(vp)
	subJSON, _ := json.Marshal(testwallet.Submission("verifiable-id", []string{"verifiable-id-credential"}, []int{0}))
	f.Add(string(vpJSON), string(subJSON), "")
	f.Add("["+string(vpJSON)+"]", `{"id":"x","definition_id":"verifiable-id","descriptor_map":[{"id":"verifiable-id-credential","format":"ldp_vp","path":"$[0]","path_nested":{"id":"verifiable-id-credential","format":"ldp_vc","path":"$.verifiableCredential[0]"}}]}`, "")
	f.Add(`{"proof":[{"type":"JcsEd25519Signature2020"}]}`, `{}`, "")
	f.Add("", "", "access_denied")
	// A presentation JWT (jwt_vp_json) and a mixed array, with a JWT submission.
	const jwtSub = `{"id":"x","definition_id":"verifiable-id","descriptor_map":[{"id":"verifiable-id-credential","format":"jwt_vp_json","path":"$","path_nested":{"id":"verifiable-id-credential","format":"jwt_vc_json","path":"$.vp.verifiableCredential[0]"}}]}`
	const jwtVP = "eyJhbGciOiJFZERTQSIsImtpZCI6ImRpZDpqd2s6eCMwIn0.eyJpc3MiOiJkaWQ6andrOngiLCJ2cCI6eyJ0eXBlIjoiVmVyaWZpYWJsZVByZXNlbnRhdGlvbiIsInZlcmlmaWFibGVDcmVkZW50aWFsIjpbImEuYi5jIl19fQ.c2ln"
	f.Add(jwtVP, jwtSub, "")
	f.Add(`["`+jwtVP+`",`+string(vpJSON)+`]`, jwtSub, "")
	// Issue 9's hostile answers: a JSON-LD context that made json-gold
	// panic, and a credential JWT beside verifiableCredential.
	f.Add(string(poison.PanicContext()), string(subJSON), "")
	f.Add(jwtVP, `{"id":"x","definition_id":"verifiable-id","descriptor_map":[{"id":"verifiable-id-credential","format":"jwt_vp_json","path":"$","path_nested":{"id":"verifiable-id-credential","format":"jwt_vc_json","path":"$.vp.evil"}}]}`, "")
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, vpToken, submission, walletErr string) {
		ctx := context.Background()
		i := n.Add(1)
		now := clk.Now()
		s := pendingSession(fmt.Sprintf("fz-%d", i), nonce, now)
		if err := store.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
		out, err := v.HandleResponse(ctx, verifier.Response{VPToken: vpToken, PresentationSubmission: submission, State: s.State, Error: walletErr})
		if err == nil {
			if out.Declined {
				if out.Session.Status != session.StatusFailed || out.Session.Error == nil || out.Session.Error.Reason != verifier.ReasonWalletError {
					t.Fatalf("declined but %+v", out.Session)
				}
				return
			}
			if out.Session.Status != session.StatusVerified {
				t.Fatalf("no error but status %s", out.Session.Status)
			}
			return
		}
		var ve *oauth.Error
		if !errors.As(err, &ve) || ve.Code() == oauth.ServerError {
			t.Fatalf("unexpected error %v", err)
		}
	})
}
