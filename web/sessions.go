package web

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/verifier"
)

type createRequest struct {
	Definition string `json:"definition"`
	Flow       string `json:"flow"`
	// Protocol chooses the request dialect when the definition allows
	// several (profile-2022, draft-20); empty: the definition's default.
	Protocol string `json:"protocol"`
	// WebhookURL is where to announce the login's end, on a host the
	// operator allows (webhooks.allowed_hosts).
	WebhookURL string `json:"webhook_url"`
}

type createResponse struct {
	ID                   string    `json:"id"`
	Status               string    `json:"status"`
	AuthorizationRequest string    `json:"authorization_request"`
	QRSVG                string    `json:"qr_svg"`
	QRPNG                string    `json:"qr_png"`
	StatusURL            string    `json:"status_url"`
	StatusToken          string    `json:"status_token"`
	ExpiresAt            time.Time `json:"expires_at"`
}

type statusResponse struct {
	ID        string          `json:"id"`
	Status    session.Status  `json:"status"`
	ExpiresAt time.Time       `json:"expires_at"`
	Error     *session.Error  `json:"error,omitempty"`
	Result    *session.Result `json:"result,omitempty"`
}

// cookiePrefix + session id names the HttpOnly cookie that lets the browser
// that started a login read it without the token. Its path is the
// session's own (/api/v1/sessions/{id}: status, events, redeem), so a
// browser sends each login's cookie only there and cookies of many
// logins never pile up in every request.
const cookiePrefix = "liota_session_"

// resultCookie holds "{id}.{token}" of the latest same-device login on
// the result page's path (verifier.PathResult), where the wallet sends
// the browser back: one cookie, replaced by the next same-device login.
const resultCookie = "liota_result"

func (h *Handler) createSession(c echo.Context) error {
	// JSON only: the contract's body, and a cross-site form cannot send
	// it without a CORS preflight.
	if mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); err != nil || mt != echo.MIMEApplicationJSON {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType)
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return bodyError(err)
	}
	var req createRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return badRequest("the body must be a JSON object like {\"definition\": \"verifiable-id\", \"flow\": \"cross-device\"}")
	}
	if req.Definition == "" {
		return badRequest("definition is required")
	}
	started, err := h.v.StartLogin(c.Request().Context(), verifier.Start{Definition: req.Definition, Flow: session.Flow(req.Flow), Protocol: req.Protocol, WebhookURL: req.WebhookURL})
	if err != nil {
		return err
	}
	s := started.Session
	base := "/api/v1/sessions/" + s.ID
	// The cookie lives as long as the session's record, no longer.
	maxAge := max(1, int(time.Until(s.DeleteAt).Seconds()))
	c.SetCookie(h.cookie(cookiePrefix+s.ID, started.StatusToken, base, maxAge))
	if s.Flow == session.FlowSameDevice {
		c.SetCookie(h.cookie(resultCookie, s.ID+"."+started.StatusToken, verifier.PathResult, maxAge))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set(echo.HeaderLocation, base)
	return c.JSON(http.StatusCreated, createResponse{
		ID:                   s.ID,
		Status:               string(session.StatusPending),
		AuthorizationRequest: started.AuthorizationRequest,
		QRSVG:                base + "/qr.svg",
		QRPNG:                base + "/qr.png",
		StatusURL:            base,
		StatusToken:          started.StatusToken,
		ExpiresAt:            s.ExpiresAt,
	})
}

func (h *Handler) cookie(name, value, path string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: path, MaxAge: maxAge,
		Expires: time.Now().Add(time.Duration(maxAge) * time.Second), HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode}
}

// statusToken takes the bearer token, else the session's cookie.
func statusToken(c echo.Context, id string) string {
	if auth := c.Request().Header.Get(echo.HeaderAuthorization); auth != "" {
		scheme, token, ok := strings.Cut(auth, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(token)
		}
		return ""
	}
	return cookieToken(c, id)
}

func (h *Handler) getSession(c echo.Context) error {
	id := c.Param("id")
	s, err := h.v.Status(c.Request().Context(), id, statusToken(c, id))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, statusOf(s, h.v.Now()))
}

func statusOf(s session.Session, now time.Time) statusResponse {
	// Visible, not Effective: a same-device direct_post result stays
	// withheld until the starting browser redeems its response code.
	out := statusResponse{ID: s.ID, Status: s.Visible(now), ExpiresAt: s.ExpiresAt}
	switch out.Status {
	case session.StatusFailed:
		out.Error = s.Error
	case session.StatusVerified:
		out.Result = s.Result
	}
	return out
}

func (h *Handler) qrSVG(c echo.Context) error {
	return h.qr(c, "svg", "image/svg+xml", qrSVG)
}

func (h *Handler) qrPNG(c echo.Context) error {
	return h.qr(c, "png", "image/png", qrPNG)
}

// qr serves a pending session's request as an image, rendered once per
// session and format.
func (h *Handler) qr(c echo.Context, format, contentType string, render func(string) ([]byte, error)) error {
	uri, s, err := h.v.Request(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	img, err := h.qrs.get(s.ID+"."+format, uri, h.realTime(s.ExpiresAt), render)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, contentType, img)
}

// definition serves presentation_definition_uri.
func (h *Handler) definition(c echo.Context) error {
	raw, ok := h.v.DefinitionJSON(c.Param("id"))
	if !ok {
		return oauth.New(oauth.NotFound, "", "unknown presentation definition")
	}
	return c.JSONBlob(http.StatusOK, raw)
}
