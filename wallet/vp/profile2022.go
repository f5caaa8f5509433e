package vp

import "errors"

// profile2022 is the Login-with-IOTA profile's request: response_mode
// post (cross-device: "For cross-device scenarios [OIDC4VP] introduces a
// new response mode post") or form_post (same-device), the answer going
// to redirect_uri; presentation_definition or presentation_definition_uri.
type profile2022 struct{}

func (profile2022) name() string { return Profile2022 }

func (profile2022) accepts(p params) bool {
	m := p.str(pResponseMode)
	return m == ModePost || m == ModeFormPost || (m == "" && p.has(pRedirectURI))
}

func (profile2022) parse(p params, r *Request) error {
	if p.has(pResponseURI) {
		return errors.New("response_uri belongs to direct_post; the profile's modes answer to redirect_uri")
	}
	var err error
	r.ResponseURI, err = responseURI(pRedirectURI, p.str(pRedirectURI))
	if err != nil {
		return err
	}
	if r.ResponseMode == "" {
		r.ResponseMode = ModeFormPost
	}
	r.VPFormats, err = vpFormats(p)
	return err
}
