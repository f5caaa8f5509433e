package vp

import (
	"context"
	"encoding/json"
	"fmt"
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

// Error codes the wallet answers with (1.0 §8.5).
const (
	// ErrorAccessDenied: "The Wallet did not have the requested
	// Credentials to satisfy the Authorization Request"; "The End-User did
	// not give consent".
	ErrorAccessDenied = "access_denied"
	// ErrorVPFormatsNotSupported: "The Wallet does not support any of the
	// formats requested by the Verifier".
	ErrorVPFormatsNotSupported = "vp_formats_not_supported"
)

// Respond posts the answer, application/x-www-form-urlencoded, to the
// request's response URI: vp_token, presentation_submission and state;
// for a 1.0 request the vp_token object and state, or with
// direct_post.jwt "the response parameter containing the JWT".
func Respond(ctx context.Context, h *wallet.HTTP, r *Request, a *Answer) (*Outcome, error) {
	if a.token != nil {
		members := map[string]any{"vp_token": a.token}
		clear := url.Values{"vp_token": {a.VPToken}}
		if r.State != "" {
			members["state"] = r.State
			clear.Set("state", r.State)
		}
		f, err := form(r, members, clear)
		if err != nil {
			return nil, err
		}
		return post(ctx, h, r, f)
	}
	f := url.Values{"vp_token": {a.VPToken}, "presentation_submission": {string(a.Submission)}}
	if r.State != "" {
		f.Set("state", r.State)
	}
	return post(ctx, h, r, f)
}

// Decline tells the verifier the holder said no (access_denied, "The
// End-User did not give consent to share the requested Credentials").
func Decline(ctx context.Context, h *wallet.HTTP, r *Request) (*Outcome, error) {
	return Refuse(ctx, h, r, ErrorAccessDenied, "the holder declined to share credentials")
}

// Refuse sends an error response (§8.5) with code and description,
// encrypted like an answer when the request asks for direct_post.jwt.
func Refuse(ctx context.Context, h *wallet.HTTP, r *Request, code, description string) (*Outcome, error) {
	members := map[string]any{"error": code, "error_description": description}
	if r.State != "" {
		members["state"] = r.State
	}
	clear := url.Values{"error": {code}, "error_description": {description}}
	if r.State != "" {
		clear.Set("state", r.State)
	}
	f, err := form(r, members, clear)
	if err != nil {
		return nil, err
	}
	return post(ctx, h, r, f)
}

// form is the body of an answer: clear for direct_post, the JWE of
// members for direct_post.jwt.
func form(r *Request, members map[string]any, clear url.Values) (url.Values, error) {
	if r.Encryption == nil {
		return clear, nil
	}
	jwe, err := r.Encryption.seal(members)
	if err != nil {
		return nil, fmt.Errorf("encrypting the answer: %w", err)
	}
	return url.Values{"response": {jwe}}, nil
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
		// Draft 20 and 1.0 §8.2: "the Response Endpoint MAY return the
		// redirect_uri parameter ... the Wallet MUST send the User Agent to
		// this redirect URI".
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
