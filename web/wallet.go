package web

import (
	"bytes"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/oid4vp"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/verifier"
)

// walletResponse takes an OID4VP authorization response, posted
// application/x-www-form-urlencoded by the wallet (post / direct_post) or by
// the browser (form_post).
func (h *Handler) walletResponse(c echo.Context) error {
	r := c.Request()
	mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEApplicationForm {
		return badRequest("the response must be posted as application/x-www-form-urlencoded")
	}
	if err := r.ParseForm(); err != nil {
		return bodyError(err)
	}
	a, err := oid4vp.ParseForm(r.PostForm)
	if err != nil {
		return badRequest(err.Error())
	}
	out, err := h.v.HandleResponse(r.Context(), verifier.Response{
		VPToken:                a.VPToken,
		PresentationSubmission: a.PresentationSubmission,
		State:                  a.State,
		Error:                  a.Error,
		ErrorDescription:       a.ErrorDescription,
		Encrypted:              a.Response,
	})
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if !out.Declined && out.Session.Flow == session.FlowSameDevice && out.Session.ResponseMode == verifier.ModeFormPost {
		// form_post: the browser posted this; send it back to the website.
		return c.Redirect(http.StatusSeeOther, out.RedirectURI)
	}
	body := map[string]string{}
	if out.RedirectURI != "" {
		body["redirect_uri"] = out.RedirectURI
	}
	return c.JSON(http.StatusOK, body)
}

// resultPage is where a same-device login lands when no return_url is
// configured. Only the browser holding the session's cookie sees the
// outcome; a same-device direct_post login brings its one-time
// response_code, which this page redeems (with that cookie) first.
func (h *Handler) resultPage(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.QueryParam("session_id")
	data := resultData{Title: "Login with IOTA"}
	var (
		s   session.Session
		err error
	)
	if code := c.QueryParam("response_code"); code != "" {
		s, err = h.v.Redeem(ctx, id, cookieToken(c, id), code)
		if err != nil {
			// Already redeemed (a reload)? The cookie still reads the result.
			s, err = h.v.Status(ctx, id, cookieToken(c, id))
		}
	} else {
		s, err = h.v.Status(ctx, id, statusToken(c, id))
	}
	if err != nil {
		data.Message = "This login cannot be shown in this browser."
	} else {
		st := statusOf(s, h.v.Now())
		data.Status = string(st.Status)
		switch st.Status {
		case session.StatusVerified:
			data.Message = "You are logged in."
			data.Holder = st.Result.Holder
		case session.StatusFailed:
			data.Message = "The login failed."
			if st.Error != nil {
				data.Detail = st.Error.Description
			}
		case session.StatusExpired:
			data.Message = "The login expired."
		default:
			data.Message = "Waiting for your wallet."
		}
	}
	var buf bytes.Buffer
	if err := resultTemplate.Execute(&buf, data); err != nil {
		return err
	}
	return h.page(c, buf.Bytes())
}

type resultData struct {
	Title, Status, Message, Holder, Detail string
}
