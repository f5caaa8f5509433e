package oidctest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/testwallet"
)

// Browser is a user agent with a cookie jar that does what the login page
// and its <login-with-iota> button do, with a wallet beside it.
type Browser struct {
	HTTP *http.Client
	// Wallet answers the authorization request the button shows; nil:
	// People's wallet logs in.
	Wallet func(ctx context.Context, authorizationRequest string) error
}

// NewBrowser has its own cookies and follows no redirects by itself.
func NewBrowser(w *testwallet.Wallet) *Browser {
	jar, _ := cookiejar.New(nil)
	b := &Browser{HTTP: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if w != nil {
		b.Wallet = func(ctx context.Context, req string) error {
			resp, body, err := w.Login(ctx, req)
			if err != nil {
				return err
			}
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("wallet answer: %d %s", resp.StatusCode, body)
			}
			return nil
		}
	}
	return b
}

// Page is the login page as the browser read it.
type Page struct {
	URL        *url.URL
	Definition string // the button's definition attribute
	Finish     string // the button's redirect attribute, absolute
	Cancel     string // the cancel form's action, absolute
	Status     int
	Body       string
}

// Started is the button's session.
type Started struct {
	ID                   string `json:"id"`
	AuthorizationRequest string `json:"authorization_request"`
	StatusToken          string `json:"status_token"`
}

// Login goes from the authorization URL to where the provider sends the
// browser at the end: the client's redirect URI with a code, or with an
// error. It stops at the first answer that is not a redirect or the page.
func (b *Browser) Login(ctx context.Context, authURL string) (*url.URL, error) {
	page, done, err := b.Authorize(ctx, authURL)
	if err != nil || done != nil {
		return done, err
	}
	s, err := b.StartButton(ctx, page)
	if err != nil {
		return nil, err
	}
	if err := b.Wallet(ctx, s.AuthorizationRequest); err != nil {
		return nil, err
	}
	return b.Finish(ctx, page, s)
}

// Authorize follows authURL to the login page. A redirect that leaves the
// provider (an error for the client) is returned as done.
func (b *Browser) Authorize(ctx context.Context, authURL string) (*Page, *url.URL, error) {
	resp, body, err := b.do(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		return nil, nil, &HTTPError{Status: resp.StatusCode, Body: string(body)}
	}
	loc, err := resp.Location()
	if err != nil {
		return nil, nil, err
	}
	if !strings.HasSuffix(loc.Path, "/login") {
		return nil, loc, nil
	}
	page, err := b.ReadPage(ctx, loc.String())
	return page, nil, err
}

// HTTPError is an answer the browser did not expect.
type HTTPError struct {
	Status int
	Body   string
}

func (e *HTTPError) Error() string { return fmt.Sprintf("HTTP %d: %.300s", e.Status, e.Body) }

var (
	buttonRE = regexp.MustCompile(`<login-with-iota [^>]*definition="([^"]*)"[^>]*redirect="([^"]*)"`)
	cancelRE = regexp.MustCompile(`<form method="post" action="([^"]*/login/cancel[^"]*)"`)
)

// ReadPage loads the login page and reads the button off it.
func (b *Browser) ReadPage(ctx context.Context, pageURL string) (*Page, error) {
	resp, body, err := b.do(ctx, http.MethodGet, pageURL, nil)
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(pageURL)
	p := &Page{URL: u, Status: resp.StatusCode, Body: string(body)}
	if resp.StatusCode != http.StatusOK {
		return p, &HTTPError{Status: resp.StatusCode, Body: string(body)}
	}
	m := buttonRE.FindStringSubmatch(p.Body)
	c := cancelRE.FindStringSubmatch(p.Body)
	if m == nil || c == nil {
		return p, errors.New("the login page has no button or no cancel form")
	}
	p.Definition = html.UnescapeString(m[1])
	p.Finish = p.resolve(html.UnescapeString(m[2]))
	p.Cancel = p.resolve(html.UnescapeString(c[1]))
	return p, nil
}

func (p *Page) resolve(ref string) string {
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return p.URL.ResolveReference(r).String()
}

// StartButton does what the button does on a click: it starts a session
// for its definition through the website API.
func (b *Browser) StartButton(ctx context.Context, p *Page) (*Started, error) {
	body, _ := json.Marshal(map[string]string{"definition": p.Definition, "flow": "cross-device"})
	resp, raw, err := b.do(ctx, http.MethodPost, p.resolve("/api/v1/sessions"), body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusCreated {
		return nil, &HTTPError{Status: resp.StatusCode, Body: string(raw)}
	}
	var s Started
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// Finish posts the session to the page's finish URL, as the button's
// redirect form (verified) or the page's script (failed, expired) does,
// and returns where the browser is sent.
func (b *Browser) Finish(ctx context.Context, p *Page, s *Started) (*url.URL, error) {
	return b.post(ctx, p.Finish, url.Values{"session_id": {s.ID}, "status_token": {s.StatusToken}})
}

// Cancel posts the page's cancel form.
func (b *Browser) Cancel(ctx context.Context, p *Page) (*url.URL, error) {
	return b.post(ctx, p.Cancel, url.Values{})
}

func (b *Browser) post(ctx context.Context, target string, form url.Values) (*url.URL, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		return nil, &HTTPError{Status: resp.StatusCode, Body: string(raw)}
	}
	return resp.Location()
}

func (b *Browser) do(ctx context.Context, method, target string, body []byte) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "text/html,application/json")
	resp, err := b.HTTP.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, raw, err
}
