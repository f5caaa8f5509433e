package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/loginwithiota/verifier/testwallet"
)

// The browser tests drive the demo page and its <login-with-iota> button in
// a real headless Chromium (Debian's chromium package; .ci/run installs it):
// the page is served by the whole program, the wallet is the repository's
// test wallet answering over HTTP. Without Chromium they skip on a
// workstation and fail in CI.

// chromiumPath finds the browser: $VERIFIER_CHROMIUM, else the usual names.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("VERIFIER_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is required in CI (apt-get install chromium)")
	}
	t.Skip("no Chromium installed (apt-get install chromium, or set VERIFIER_CHROMIUM)")
	return ""
}

// screenshotDir is where the tests leave their screenshots:
// $VERIFIER_SCREENSHOTS when set, else the test's artifact directory (kept
// under the output directory with go test -artifacts).
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("VERIFIER_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.ArtifactDir()
}

// startBrowser starts one headless Chromium for a test, with a fresh
// profile, English as its language, and nothing fetched in the background.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	profile, err := os.MkdirTemp("", "liota-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(900, 760),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		os.RemoveAll(profile) // the browser has exited; leftovers are no error
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return ctx
}

// tab is one browser tab that records every console error, uncaught
// exception and Content-Security-Policy violation of its pages.
type tab struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	problems []string
	drained  chan struct{} // closed when the collector sees endMarker
	// expected, when set, excuses console messages a scenario causes on
	// purpose (a blocked request logs a network error).
	expected func(chromedp.ConsoleMessage) bool
}

// cspProbe runs before any page script: a CSP violation also reaches the
// page as an event, which catches what the console might word differently.
const cspProbe = `window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.effectiveDirective + ' ' + e.blockedURI);
}, true);`

func newTab(t *testing.T, browser context.Context) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: ctx, drained: make(chan struct{})}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleDebug && m.Text == endMarker {
				close(tb.drained)
				continue
			}
			if m.Type != chromedp.ConsoleError && !m.IsException() {
				continue
			}
			tb.mu.Lock()
			if tb.expected == nil || !tb.expected(m) {
				tb.problems = append(tb.problems, fmt.Sprintf("%s (%s %s)", m, m.Source, m.URL))
			}
			tb.mu.Unlock()
		}
	}()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspProbe}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tb.checkClean)
	return tb
}

// endMarker is logged last, so the collector has seen every message
// before it once it sees the marker.
const endMarker = "liota-test-end"

// checkClean fails the test on any console error or CSP violation.
func (tb *tab) checkClean() {
	if err := chromedp.Do(tb.ctx, chromedp.Evaluate[chromedp.Void](`console.debug('`+endMarker+`')`)); err != nil {
		tb.t.Errorf("console marker: %v", err)
	} else {
		select {
		case <-tb.drained:
		case <-time.After(5 * time.Second):
			tb.t.Error("the console messages did not drain")
		}
	}
	violations, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
	if err != nil {
		tb.t.Errorf("read CSP violations: %v", err)
	}
	for _, v := range violations {
		tb.t.Errorf("CSP violation: %s", v)
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, p := range tb.problems {
		tb.t.Errorf("console: %s", p)
	}
}

func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatal(err)
	}
}

func (tb *tab) eval(js string) string {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		tb.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds.
func (tb *tab) waitFor(cond string, timeout time.Duration) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, timeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(timeout))); err != nil {
		tb.t.Fatalf("waiting for %s: %v (state %q)", cond, err, tb.eval(`String(`+button+`.getAttribute('state'))`))
	}
}

func (tb *tab) screenshot(dir, name string) {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("screenshot %s", path)
}

// JavaScript paths into the demo page and the button's shadow root.
const (
	button     = `document.querySelector('login-with-iota')`
	shadow     = button + `.shadowRoot`
	startBtn   = shadow + `.querySelector('button.start')`
	walletLink = shadow + `.querySelector('a.wallet-link')`
)

func stateIs(s string) string { return button + `.getAttribute('state') === '` + s + `'` }

// openDemo loads the demo page and waits until the button is defined and
// its stylesheet applied (the box shows once the sheet is in).
func (tb *tab) openDemo(p *Program) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(p.PublicURL + "/"))
	tb.waitFor(`customElements.get('login-with-iota') !== undefined && !`+shadow+`.querySelector('.box').hidden`, 10*time.Second)
}

// clickLogin clicks the button with the mouse and waits for the QR code.
func (tb *tab) clickLogin() string {
	tb.t.Helper()
	tb.do(chromedp.Click(chromedp.JSPath(startBtn)))
	return tb.waitForRequest()
}

// waitForRequest waits for the pending state and reads the authorization
// request the QR code encodes, from the wallet link beside it, after the QR
// image itself has loaded.
func (tb *tab) waitForRequest() string {
	tb.t.Helper()
	tb.waitFor(stateIs("pending")+` && `+shadow+`.querySelector('img.qr').complete && `+shadow+`.querySelector('img.qr').naturalWidth > 0`, 10*time.Second)
	return tb.walletRequest()
}

// walletRequest reads the request from the wallet link.
func (tb *tab) walletRequest() string {
	tb.t.Helper()
	req := tb.eval(walletLink + `.getAttribute('href')`)
	if !strings.HasPrefix(req, "openid4vp://?") {
		tb.t.Fatalf("wallet link %q", req)
	}
	return req
}

// walletAnswers lets the test wallet answer the request the page shows.
func walletAnswers(t *testing.T, request string) *testwallet.Party {
	t.Helper()
	pp := newPeople(t)
	w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
	resp, body, err := w.Login(context.Background(), request)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("wallet answer: %d %s", resp.StatusCode, body)
	}
	return pp.holder
}
