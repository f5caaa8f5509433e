package handler

import (
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/issuer"
	"github.com/loginwithiota/verifier/oauth"
)

// token is the token endpoint (§6): a form POST (RFC 6749 §4.1.3,
// "application/x-www-form-urlencoded"), parameters at most once ("Request
// and response parameters MUST NOT be included more than once").
func (s *server) token(c echo.Context) error {
	r := c.Request()
	if mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType)); err != nil || mt != echo.MIMEApplicationForm {
		return oauth.New(oauth.InvalidRequest, "", "the token request must be posted as application/x-www-form-urlencoded")
	}
	if err := r.ParseForm(); err != nil {
		return bodyError(err, oauth.InvalidRequest)
	}
	form := r.PostForm
	for k, v := range form {
		if len(v) > 1 {
			return oauth.Newf(oauth.InvalidRequest, "", "%s is included more than once", headerSafe(clipName(k)))
		}
	}
	_, hasTx := form["tx_code"]
	resp, err := s.iss.Token(r.Context(), issuer.TokenRequest{
		GrantType:            form.Get("grant_type"),
		PreAuthorizedCode:    form.Get("pre-authorized_code"),
		TxCode:               form.Get("tx_code"),
		HasTxCode:            hasTx,
		AuthorizationDetails: form.Get("authorization_details"),
	})
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, resp)
}

// nonce is the nonce endpoint (§7): POST, no access token.
func (s *server) nonce(c echo.Context) error {
	n, err := s.iss.Nonce(c.Request().Context())
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, map[string]string{"c_nonce": n})
}

// credential is the credential endpoint (§8): the access token first (an
// unauthorised caller learns nothing about its body), then "If the
// Credential Request is not encrypted, the media type of the request MUST
// be set to application/json".
func (s *server) credential(c echo.Context) error {
	r := c.Request()
	token, present := bearer(c)
	if token == "" {
		if present {
			return oauth.New(oauth.InvalidToken, "", "the access token must be sent as Authorization: Bearer TOKEN")
		}
		return oauth.New(oauth.InvalidToken, "", "an access token is required (Authorization: Bearer)")
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType)); err != nil || mt != echo.MIMEApplicationJSON {
		return oauth.New(oauth.InvalidCredentialRequest, "", "the credential request must be application/json (encrypted requests are not supported)")
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return bodyError(err, oauth.InvalidCredentialRequest)
	}
	resp, err := s.iss.Credential(r.Context(), token, body)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, resp)
}

func clipName(s string) string {
	if len(s) > 40 {
		return s[:40]
	}
	return s
}
