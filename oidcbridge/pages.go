package oidcbridge

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/op"
)

//go:embed templates static
var assets embed.FS

var (
	loginTemplate = template.Must(template.ParseFS(assets, "templates/login.html"))
	errorTemplate = template.Must(template.ParseFS(assets, "templates/message.html"))
	loginJS       = must(assets.ReadFile("static/login.js"))
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// pageCSP is the web package's page policy, with the client's origins
// added to form-action: the finish form's answer redirects there, and
// browsers hold a form's redirects to form-action.
func pageCSP(c *client) string {
	actions := []string{"'self'"}
	for _, r := range c.Client.RedirectURIs {
		if u, err := url.Parse(r); err == nil {
			if o := u.Scheme + "://" + u.Host; !slices.Contains(actions, o) {
				actions = append(actions, o)
			}
		}
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
		"form-action " + strings.Join(actions, " ") + "; frame-ancestors 'none'; base-uri 'none'"
}

// loginView is what the login page shows.
type loginView struct {
	Lang, Client, Scope, Definition string
	FinishURL, CancelURL, ScriptURL string
	Texts                           map[string]string
}

// loginPage is where the authorize endpoint sends the browser.
func (p *Provider) loginPage(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	req, c, err := p.openRequest(r.Context(), id)
	if err != nil {
		p.errorPage(w, r, err)
		return
	}
	if !p.now().Before(req.ExpiresAt) {
		u, err := p.deny(r.Context(), req, "the login took too long")
		if err != nil {
			p.errorPage(w, r, err)
			return
		}
		http.Redirect(w, r, u, http.StatusSeeOther)
		return
	}
	lang := pageLanguage(r.Header.Get("Accept-Language"))
	name := c.Name
	if name == "" {
		name = c.ID
	}
	q := "?id=" + url.QueryEscape(id)
	view := loginView{Lang: lang, Client: name, Scope: req.Scope, Definition: req.Definition,
		FinishURL: p.path + pathFinish + q, CancelURL: p.path + pathCancel + q, ScriptURL: p.path + pathLoginJS, Texts: texts[lang]}
	p.render(w, loginTemplate, http.StatusOK, view, pageCSP(c))
}

// finishLogin receives the button's form (session_id, status_token).
func (p *Provider) finishLogin(w http.ResponseWriter, r *http.Request) {
	req, denied, err := p.finish(r.Context(), r.URL.Query().Get("id"), r.PostFormValue("session_id"), r.PostFormValue("status_token"))
	switch {
	case err != nil:
		p.errorPage(w, r, err)
	case denied != "":
		http.Redirect(w, r, denied, http.StatusSeeOther)
	default:
		// zitadel/oidc makes the code and sends the browser to the client.
		op.AuthResponse(req, p.op, w, r)
	}
}

func (p *Provider) cancelLogin(w http.ResponseWriter, r *http.Request) {
	u, err := p.cancel(r.Context(), r.URL.Query().Get("id"))
	if err != nil {
		p.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// authorizeCallback is zitadel/oidc's return path from a login UI. Ours
// hands out the code from finish itself, in the request that proved the
// session, so the path leads nowhere: knowing a request id is not enough
// to collect its code.
func (p *Provider) authorizeCallback(w http.ResponseWriter, r *http.Request) {
	p.errorPage(w, r, errPageGone)
}

func (p *Provider) loggedOutPage(w http.ResponseWriter, r *http.Request) {
	lang := pageLanguage(r.Header.Get("Accept-Language"))
	p.render(w, errorTemplate, http.StatusOK, map[string]string{"Lang": lang, "Text": texts[lang]["logged_out"]}, messageCSP)
}

const messageCSP = "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

func (p *Provider) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	var pe *pageError
	if !errors.As(err, &pe) {
		p.log.ErrorContext(r.Context(), "oidc login step", "err", err)
		pe = errPageDown
	}
	p.render(w, errorTemplate, pe.status, map[string]string{"Lang": "en", "Text": pe.text}, messageCSP)
}

func (p *Provider) render(w http.ResponseWriter, t *template.Template, status int, data any, csp string) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		p.log.Error("oidc page", "err", err)
		http.Error(w, "the page could not be shown", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", csp)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Vary", "Accept-Language")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

func serveLoginJS(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(loginJS)
}

// pageLanguage picks en, de or fr from Accept-Language, as the web pages do.
func pageLanguage(accept string) string {
	for _, part := range strings.Split(accept, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if _, ok := texts[primary]; ok {
			return primary
		}
	}
	return "en"
}

// texts are the page's own words; the button brings its own.
var texts = map[string]map[string]string{
	"en": {"title": "Log in", "asks": "asks you to log in with your IOTA wallet and share", "cancel": "Cancel and go back",
		"logged_out": "You are logged out."},
	"de": {"title": "Anmelden", "asks": "bittet Sie, sich mit Ihrer IOTA-Wallet anzumelden und Folgendes zu teilen:", "cancel": "Abbrechen und zurück",
		"logged_out": "Sie sind abgemeldet."},
	"fr": {"title": "Connexion", "asks": "vous demande de vous connecter avec votre portefeuille IOTA et de partager", "cancel": "Annuler et revenir",
		"logged_out": "Vous êtes déconnecté."},
}
