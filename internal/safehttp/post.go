package safehttp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Post sends body to rawURL with header under the checks of Get (scheme,
// address at dial time, no proxy, no redirect, the time bound) and reports
// the answer's status. Any 2xx is success; a 3xx is ErrRedirect, another
// status ErrStatus. The answer's body is read (up to MaxBytes) and
// dropped, so the connection can be reused. Errors are *Error, Method
// "POST".
func (c *Client) Post(ctx context.Context, rawURL string, header http.Header, body []byte) (int, error) {
	fail := func(kind error, shown string, status int, err error) (int, error) {
		return status, &Error{Kind: kind, Method: http.MethodPost, URL: shown, StatusCode: status, Err: err}
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return fail(ErrURL, clip(rawURL), 0, err)
	}
	shown := clip(u.Redacted())
	switch {
	case !schemeAllowed(u.Scheme, c.allowHTTP):
		return fail(ErrURL, shown, 0, fmt.Errorf("scheme %q", clip(u.Scheme)))
	case u.Host == "":
		return fail(ErrURL, shown, 0, errors.New("no host"))
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return fail(ErrURL, shown, 0, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		status := 0
		if resp != nil { // a refused redirect: Do hands back its answer
			status = resp.StatusCode
		}
		return fail(classify(ctx, err), shown, status, cause(err))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, c.maxBytes))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return resp.StatusCode, nil
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return fail(ErrRedirect, shown, resp.StatusCode, nil)
	}
	return fail(ErrStatus, shown, resp.StatusCode, nil)
}
