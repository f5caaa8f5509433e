package wallet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// MaxAnswerBytes bounds what the wallet reads from any server.
const MaxAnswerBytes = 1 << 20

// HTTP is the wallet's client.
type HTTP struct {
	Client *http.Client
}

// NewHTTP returns a client with a 15s timeout that follows no redirects:
// a wallet posts its secrets where the request said, nowhere else, and
// reports any redirect to its caller.
func NewHTTP() *HTTP {
	return &HTTP{Client: &http.Client{Timeout: 15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// CheckURL allows https URLs, and http ones on loopback hosts (a verifier
// or issuer on this machine).
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute URL", clip(raw))
	}
	switch u.Scheme {
	case "https":
		return u, nil
	case "http":
		if h := u.Hostname(); h == "localhost" || h == "::1" || strings.HasPrefix(h, "127.") {
			return u, nil
		}
		return nil, fmt.Errorf("%s uses http: a wallet talks to other hosts over https only", clip(raw))
	}
	return nil, fmt.Errorf("%q is not an http(s) URL", clip(raw))
}

// RemoteError is an error answer of a server: an OAuth error when the
// body was one.
type RemoteError struct {
	Status      int
	Code        string
	Description string
}

func (e *RemoteError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("HTTP %d", e.Status)
	}
	if e.Description == "" {
		return fmt.Sprintf("%s (HTTP %d)", e.Code, e.Status)
	}
	return fmt.Sprintf("%s: %s (HTTP %d)", e.Code, e.Description, e.Status)
}

// IsCode reports whether err is a RemoteError with code.
func IsCode(err error, code string) bool {
	var re *RemoteError
	return errors.As(err, &re) && re.Code == code
}

// Answer is a server's answer, read whole (up to MaxAnswerBytes).
type Answer struct {
	Status      int
	ContentType string // media type, without parameters
	Header      http.Header
	Body        []byte
}

// Do sends req (its URL checked by CheckURL) and reads the answer. A
// status of 400 or more is a *RemoteError.
func (h *HTTP) Do(req *http.Request) (*Answer, error) {
	if _, err := CheckURL(req.URL.String()); err != nil {
		return nil, err
	}
	resp, err := h.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Redacted(), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswerBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Redacted(), err)
	}
	if len(body) > MaxAnswerBytes {
		return nil, fmt.Errorf("%s %s: the answer is larger than %d bytes", req.Method, req.URL.Redacted(), MaxAnswerBytes)
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	a := &Answer{Status: resp.StatusCode, ContentType: mt, Header: resp.Header, Body: body}
	if resp.StatusCode >= 400 {
		re := &RemoteError{Status: resp.StatusCode}
		var e struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		if json.Unmarshal(body, &e) == nil {
			re.Code, re.Description = clip(e.Error), clipLong(e.Description)
		}
		return a, re
	}
	return a, nil
}

// Get fetches u with an Accept header.
func (h *HTTP) Get(ctx context.Context, u, accept string) (*Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return h.Do(req)
}

// PostForm posts form to u.
func (h *HTTP) PostForm(ctx context.Context, u string, form url.Values) (*Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return h.Do(req)
}

// PostJSON posts v as JSON to u, with a bearer token when one is given.
func (h *HTTP) PostJSON(ctx context.Context, u string, v any, bearer string) (*Answer, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(string(raw)))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return h.Do(req)
}

// clip bounds a server's string before the wallet prints it, and keeps
// terminal control characters out.
func clip(s string) string { return clipN(s, 80) }

func clipLong(s string) string { return clipN(s, 300) }

func clipN(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// Clip is clip for other packages: a server's text, safe to print.
func Clip(s string) string { return clipLong(s) }
