package verifier_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/testwallet"
	"github.com/loginwithiota/verifier/verifier"
)

// newDirectPost is a verifier whose same-device logins use direct_post,
// with the definition by value so the test wallet needs no HTTP.
func newDirectPost(t *testing.T, clk *clock) *verifier.Verifier {
	t.Helper()
	v, _ := newVerifier(t, clk, func(c *verifier.Config) {
		c.SameDeviceMode = verifier.ModeDirectPost
		c.DefinitionByValue = true
	})
	return v
}

// answer lets a holder's wallet answer started's request; it returns the
// response_code handed back for the browser.
func answer(t *testing.T, v *verifier.Verifier, started *verifier.Started) string {
	t.Helper()
	ctx := context.Background()
	r, err := testwallet.ParseRequest(ctx, http.DefaultClient, started.AuthorizationRequest)
	if err != nil {
		t.Fatal(err)
	}
	issuer, holder := testwallet.NewParty(), testwallet.NewParty()
	vc, err := issuer.Issue(holder.DID, testwallet.Credential{Types: []string{"VerifiableId"}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := (&testwallet.Wallet{Holder: holder, Credentials: []map[string]any{vc}}).Answer(r)
	if err != nil {
		t.Fatal(err)
	}
	form, err := a.Form()
	if err != nil {
		t.Fatal(err)
	}
	out, err := v.HandleResponse(ctx, verifier.Response{
		VPToken: form.Get("vp_token"), PresentationSubmission: form.Get("presentation_submission"), State: form.Get("state"),
	})
	if err != nil {
		t.Fatalf("HandleResponse: %v", err)
	}
	u, err := url.Parse(out.RedirectURI)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("response_code")
}

func wantCodeError(t *testing.T, err error, code oauth.Code, reason string) {
	t.Helper()
	var ve *oauth.Error
	if !errors.As(err, &ve) || ve.Code() != code || (reason != "" && ve.Reason() != reason) {
		t.Fatalf("err = %v, want %s/%s", err, code, reason)
	}
}

func TestRedeem(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Now()}
	v := newDirectPost(t, clk)
	started, err := v.StartSession(ctx, "verifiable-id", session.FlowSameDevice)
	if err != nil {
		t.Fatal(err)
	}
	id, token := started.Session.ID, started.StatusToken

	woken, err := v.Subscribe(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// The wallet answers in the last second: the code still gets its time.
	clk.Add(5*time.Minute - time.Second)
	code := answer(t, v, started)
	<-woken // the answer is published
	s, err := v.Status(ctx, id, token)
	if err != nil {
		t.Fatal(err)
	}
	if s.Visible(clk.Now()) != session.StatusPending || s.Released() {
		t.Fatalf("before redemption: visible %s, released %v", s.Visible(clk.Now()), s.Released())
	}
	if want := clk.Now().Add(verifier.ResponseCodeLifetime); !s.ExpiresAt.Equal(want) {
		t.Fatalf("expires_at %v, want %v", s.ExpiresAt, want)
	}
	if !s.DeleteAt.After(s.ExpiresAt) {
		t.Fatalf("delete_at %v is not after expires_at %v", s.DeleteAt, s.ExpiresAt)
	}

	_, err = v.Redeem(ctx, id, "not-the-cookie", code)
	wantCodeError(t, err, oauth.Unauthorized, "")
	_, err = v.Redeem(ctx, id, token, code+"x")
	wantCodeError(t, err, oauth.InvalidRequest, verifier.ReasonResponseCode)

	clk.Add(time.Minute)
	got, err := v.Redeem(ctx, id, token, code)
	if err != nil {
		t.Fatal(err)
	}
	if got.Visible(clk.Now()) != session.StatusVerified || got.Result == nil || !got.RedeemedAt.Equal(clk.Now().UTC()) {
		t.Fatalf("redeemed: %+v", got)
	}
	<-woken // the release is published too
	_, err = v.Redeem(ctx, id, token, code)
	wantCodeError(t, err, oauth.InvalidRequest, verifier.ReasonResponseCode)
}

func TestRedeemExpiredCode(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Now()}
	v := newDirectPost(t, clk)
	started, err := v.StartSession(ctx, "verifiable-id", session.FlowSameDevice)
	if err != nil {
		t.Fatal(err)
	}
	code := answer(t, v, started)
	clk.Add(5 * time.Minute) // past expires_at: the result was never released
	s, err := v.Status(ctx, started.Session.ID, started.StatusToken)
	if err != nil || s.Visible(clk.Now()) != session.StatusExpired {
		t.Fatalf("after expiry: %v %v", s.Visible(clk.Now()), err)
	}
	_, err = v.Redeem(ctx, started.Session.ID, started.StatusToken, code)
	wantCodeError(t, err, oauth.InvalidRequest, verifier.ReasonResponseCode)
}

// TestCrossDeviceHasNoCode: only same-device direct_post binds a code.
func TestCrossDeviceHasNoCode(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Now()}
	v := newDirectPost(t, clk)
	started, err := v.StartSession(ctx, "verifiable-id", session.FlowCrossDevice)
	if err != nil {
		t.Fatal(err)
	}
	if code := answer(t, v, started); code != "" {
		t.Fatalf("cross-device answer carries a response_code %q", code)
	}
	s, _ := v.Status(ctx, started.Session.ID, started.StatusToken)
	if s.Visible(clk.Now()) != session.StatusVerified || len(s.ResponseCodeHash) != 0 {
		t.Fatalf("cross-device: %+v", s)
	}
}
