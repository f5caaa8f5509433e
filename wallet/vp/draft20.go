package vp

import (
	"errors"
	"fmt"

	"github.com/loginwithiota/verifier/wallet"
)

// draft20 is OID4VP drafts 18-20: response_mode direct_post with
// response_uri ("response_uri ... MUST be present when the Response Mode
// direct_post is used"; "When the response_uri parameter is present, the
// redirect_uri Authorization Request parameter MUST NOT be present"),
// client_id_scheme, client_metadata.vp_formats, a Presentation Exchange
// definition.
type draft20 struct{}

func (draft20) name() string { return Draft20 }

func (draft20) accepts(p params) bool {
	m := p.str(pResponseMode)
	return m == ModeDirectPost || m == ModeDirectJWT || p.has(pResponseURI)
}

func (draft20) parse(p params, r *Request) error {
	switch r.ResponseMode {
	case ModeDirectPost:
	case ModeDirectJWT:
		return errors.New("direct_post.jwt (an encrypted answer) is not supported by this wallet yet")
	default:
		return fmt.Errorf("response_uri comes with response_mode direct_post, not %q", wallet.Clip(r.ResponseMode))
	}
	if p.has(pRedirectURI) {
		return errors.New("redirect_uri must not be present with response_uri")
	}
	var err error
	if r.ResponseURI, err = responseURI(pResponseURI, p.str(pResponseURI)); err != nil {
		return err
	}
	switch {
	case r.Prefix != "":
		// A request object signed under a 1.0 client identifier: the one QR
		// of a 1.0+draft-20 login serves its draft-20 request so, under the
		// QR's prefixed client_id; the prefix's rules hold as in 1.0.
		if err := checkClientID(r); err != nil {
			return err
		}
	case r.Signer != "":
		// Signed under draft 20's did or x509_san_dns scheme, verified.
	case r.ClientIDScheme == "" || r.ClientIDScheme == schemeRedirectURI:
		// "If the Client Identifier scheme redirect_uri is used in
		// conjunction with the Response Mode direct_post, and the
		// response_uri parameter is present, the client_id value MUST be
		// equal to the response_uri value." Without a scheme the wallet
		// has no other way to know the verifier: hold it to the same.
		if r.ClientID != r.ResponseURI {
			return errors.New("client_id must equal response_uri (client_id_scheme redirect_uri)")
		}
	default:
		return fmt.Errorf("client_id_scheme %q is not supported by this wallet (redirect_uri is)", wallet.Clip(r.ClientIDScheme))
	}
	r.VPFormats, err = vpFormats(p)
	return err
}
