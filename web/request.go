package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/oid4vp"
	"github.com/loginwithiota/verifier/verifier"
)

// requestRoutes serves the wallet-facing request_uri of requests sent by
// reference (oid4vp.request_by_reference).
func (h *Handler) requestRoutes(e *echo.Echo) {
	e.GET(verifier.PathRequests+":id", h.requestObject)
}

// requestObject answers a wallet's GET of request_uri with the login's
// request object (RFC 9101 §5.2: "application/oauth-authz-req+jwt"). Only a
// pending login's is served; a finished, expired or unknown one is 404.
func (h *Handler) requestObject(c echo.Context) error {
	jwt, err := h.v.RequestObject(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, oid4vp.RequestObjectMediaType, []byte(jwt))
}
