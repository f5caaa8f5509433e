package vp

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/loginwithiota/verifier/wallet"
)

// Outcome is the verifier's answer to the wallet.
type Outcome struct {
	Status int
	// RedirectTo is where the holder's browser goes next: the
	// redirect_uri of a direct_post answer, or the Location of a
	// form_post one. Empty: the website that showed the QR code goes on
	// by itself.
	RedirectTo string
}

// Respond posts the answer, application/x-www-form-urlencoded, to the
// request's response URI: vp_token, presentation_submission and state.
func Respond(ctx context.Context, h *wallet.HTTP, r *Request, a *Answer) (*Outcome, error) {
	f := url.Values{"vp_token": {a.VPToken}, "presentation_submission": {string(a.Submission)}}
	if r.State != "" {
		f.Set("state", r.State)
	}
	return post(ctx, h, r, f)
}

// Decline tells the verifier the holder said no (OID4VP: error
// access_denied, "the End-User ... did not give consent").
func Decline(ctx context.Context, h *wallet.HTTP, r *Request) (*Outcome, error) {
	f := url.Values{"error": {"access_denied"}, "error_description": {"the holder declined to share credentials"}}
	if r.State != "" {
		f.Set("state", r.State)
	}
	return post(ctx, h, r, f)
}

func post(ctx context.Context, h *wallet.HTTP, r *Request, f url.Values) (*Outcome, error) {
	a, err := h.PostForm(ctx, r.ResponseURI, f)
	if err != nil {
		return nil, err
	}
	o := &Outcome{Status: a.Status}
	switch a.Status {
	case http.StatusFound, http.StatusSeeOther:
		o.RedirectTo = a.Header.Get("Location")
	default:
		// Draft 20: "the Response Endpoint MAY return the redirect_uri
		// parameter ... the Wallet MUST send the User Agent to this
		// redirect URI".
		var body struct {
			RedirectURI string `json:"redirect_uri"`
		}
		if json.Unmarshal(a.Body, &body) == nil {
			o.RedirectTo = body.RedirectURI
		}
	}
	if o.RedirectTo != "" {
		if u, err := url.Parse(o.RedirectTo); err == nil && !u.IsAbs() {
			if base, err := url.Parse(r.ResponseURI); err == nil {
				o.RedirectTo = base.ResolveReference(u).String()
			}
		}
	}
	return o, nil
}
