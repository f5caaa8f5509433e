package verifier_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/oid4vp"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/testwallet"
	"github.com/loginwithiota/verifier/verifier"
)

// FuzzHandleResponseV1 feeds arbitrary OID4VP 1.0 answers to the
// pipeline — a DCQL vp_token, or an encrypted response — on a 1.0 login
// with a response key: never a panic, never a server error.
func FuzzHandleResponseV1(f *testing.F) {
	clk := &clock{t: time.Now()}
	v, store := newV1Verifier(f, clk)
	holder, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	issued, _ := testwallet.NewSDIssuer().Issue(holder.Public(), "VerifiableId", tenClaims, nil)
	const nonce = "fuzz-nonce-0123456789abc"
	pres, _ := testwallet.PresentSD(issued, keysOf(tenClaims), holder, nonce, v.Identity().ClientID.String(), clk.Now())
	tok, _ := json.Marshal(map[string]any{"pid": []any{pres}})
	f.Add(string(tok), "")
	f.Add(`{"pid":["a~b~"],"x":[{}]}`, "")
	f.Add(`{"pid":[{"type":["VerifiablePresentation"],"verifiableCredential":["a.b.c","x"]}]}`, "")
	f.Add("", "eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTEyOEdDTSIsImtpZCI6IngifQ.a.b.c.d")
	f.Add("", "eyJhbGciOiJub25lIn0.eyJzdGF0ZSI6IngifQ.")
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, vpToken, encrypted string) {
		ctx := context.Background()
		s := pendingSession(fmt.Sprintf("fz-%d", n.Add(1)), nonce, clk.Now())
		s.DefinitionID, s.Protocol = "pid", oid4vp.V1
		k, _ := oid4vp.NewResponseKey()
		s.ResponseKey, _ = oid4vp.ResponseKeyBytes(k)
		if err := store.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
		r := verifier.Response{VPToken: vpToken, State: s.State}
		if encrypted != "" {
			r = verifier.Response{Encrypted: encrypted}
		}
		out, err := v.HandleResponse(ctx, r)
		if err == nil {
			if out.Session.Status != session.StatusVerified && !out.Declined {
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
