package web

import (
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/oid4vp"
	"github.com/loginwithiota/verifier/verifier"
)

// requestRoutes serves the wallet-facing request_uri of requests sent by
// reference: GET (RFC 9101 §5.2), and POST (OID4VP 1.0 §5.10,
// request_uri_method=post) with the wallet's metadata and nonce.
func (h *Handler) requestRoutes(e *echo.Echo) {
	e.GET(verifier.PathRequests+":id", h.requestObject)
	e.POST(verifier.PathRequests+":id", h.requestObjectPost)
}

// requestObject answers a wallet's GET of request_uri with the login's
// request object (RFC 9101 §5.2: "application/oauth-authz-req+jwt"). Only a
// pending login's is served; a finished, expired or unknown one is 404.
func (h *Handler) requestObject(c echo.Context) error {
	return h.serveRequestObject(c, oid4vp.RequestURIMethodGet, oid4vp.WalletRequest{})
}

// requestObjectPost answers a wallet's POST of request_uri: §5.10 "The
// request MUST use the HTTP POST method with the https scheme, and the
// content type application/x-www-form-urlencoded"; the answer is the
// same request object a GET gets, signed, with the posted wallet_nonce
// echoed ("When received, the Verifier MUST use it as the wallet_nonce
// value in the signed authorization request object"). A wallet that
// posts no body (no metadata, no nonce) is answered as well.
func (h *Handler) requestObjectPost(c echo.Context) error {
	r := c.Request()
	var w oid4vp.WalletRequest
	if r.ContentLength != 0 {
		if mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType)); err != nil || mt != echo.MIMEApplicationForm {
			return badRequest("the request_uri is posted as application/x-www-form-urlencoded")
		}
		if err := r.ParseForm(); err != nil {
			return bodyError(err)
		}
		var err error
		if w, err = oid4vp.ParseWalletRequest(r.PostForm); err != nil {
			return badRequest(err.Error())
		}
	}
	return h.serveRequestObject(c, oid4vp.RequestURIMethodPost, w)
}

func (h *Handler) serveRequestObject(c echo.Context, method string, w oid4vp.WalletRequest) error {
	jwt, err := h.v.RequestObject(c.Request().Context(), c.Param("id"), method, w)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, oid4vp.RequestObjectMediaType, []byte(jwt))
}
