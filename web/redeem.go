package web

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

type redeemRequest struct {
	ResponseCode string `json:"response_code"`
}

// redeem exchanges a same-device direct_post login's one-time response_code
// for its result:
//
//	POST /api/v1/sessions/{id}/redeem      (with the session cookie)
//	{"response_code": "…"}
//
// Only the cookie authorizes it — not the bearer token, which whoever
// started the login holds (that is the session-fixation case the code
// defends against). It answers the status body once; any second attempt,
// wrong code or missing cookie gets an error and changes nothing.
func (h *Handler) redeem(c echo.Context) error {
	// JSON only: a cross-site form cannot send it without a CORS preflight.
	if mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); err != nil || mt != echo.MIMEApplicationJSON {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType)
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return bodyError(err)
	}
	var req redeemRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return badRequest(`the body must be a JSON object like {"response_code": "…"}`)
	}
	id := c.Param("id")
	s, err := h.v.Redeem(c.Request().Context(), id, cookieToken(c, id), req.ResponseCode)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, statusOf(s, h.v.Now()))
}

// cookieToken is the session's cookie alone, ignoring any Authorization
// header: the session's own, or on the result page the latest same-device
// login's when it is this session's.
func cookieToken(c echo.Context, id string) string {
	if ck, err := c.Cookie(cookiePrefix + id); err == nil {
		return ck.Value
	}
	if ck, err := c.Cookie(resultCookie); err == nil && id != "" {
		if cid, token, ok := strings.Cut(ck.Value, "."); ok && cid == id {
			return token
		}
	}
	return ""
}
