package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"
	"github.com/chromedp/chromedp/kb"

	"github.com/loginwithiota/verifier/testwallet"
)

// TestBrowser drives the demo page in real Chromium: verification through
// events, through polling, across two instances; redirect; decline;
// languages; a phone; keyboard only; expiry. Every tab fails the test on a
// console error or a CSP violation. Screenshots go to $VERIFIER_SCREENSHOTS.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	browser := startBrowser(t)
	shots := screenshotDir(t)
	p := instance{store: "memory"}.start(t)

	t.Run("verified through server-sent events", func(t *testing.T) {
		tb := newTab(t, browser)
		tb.openDemo(p)
		tb.screenshot(shots, "1-demo-idle.png")
		request := tb.clickLogin()
		tb.screenshot(shots, "2-qr-pending.png")
		holder := walletAnswers(t, request)
		tb.waitFor(stateIs("verified"), 5*time.Second)
		if got := tb.eval(button + `.getAttribute('transport')`); got != "sse" {
			t.Errorf("transport %q, want sse", got)
		}
		tb.waitFor(`!document.getElementById('result').hidden`, 2*time.Second)
		if got := tb.eval(`document.getElementById('holder').textContent`); got != holder.DID {
			t.Errorf("the page shows holder %q, want %q", got, holder.DID)
		}
		if got := tb.eval(`document.getElementById('credentials').textContent`); !strings.Contains(got, "Jane") || !strings.Contains(got, "VerifiableId") {
			t.Errorf("the page shows claims %q", got)
		}
		tb.screenshot(shots, "3-verified-sse.png")
	})

	t.Run("verified by polling when events are blocked", func(t *testing.T) {
		tb := newTab(t, browser)
		blocked := make(chan string, 8)
		paused := chromedp.Events(tb.ctx, fetch.RequestPaused)
		go func() {
			for ev, err := range paused {
				if err != nil {
					return
				}
				blocked <- ev.Request.URL
				chromedp.Call(tb.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
			}
		}()
		if _, err := chromedp.Call(tb.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/events"}}}); err != nil {
			t.Fatal(err)
		}
		tb.mu.Lock()
		tb.expected = func(m chromedp.ConsoleMessage) bool {
			return m.Source == "network" && strings.HasSuffix(m.URL, "/events")
		}
		tb.mu.Unlock()
		tb.openDemo(p)
		tb.do(chromedp.Evaluate[chromedp.Void](button + `.setAttribute('poll-interval', '250')`))
		request := tb.clickLogin()
		select {
		case u := <-blocked:
			t.Logf("blocked %s", u)
		case <-time.After(5 * time.Second):
			t.Fatal("the page never opened its event stream")
		}
		tb.waitFor(button+`.getAttribute('transport') === 'polling'`, 5*time.Second)
		walletAnswers(t, request)
		tb.waitFor(stateIs("verified"), 5*time.Second)
		tb.screenshot(shots, "4-verified-polling.png")
	})

	t.Run("two instances on one Redis", func(t *testing.T) {
		// The page and its event stream are served by A, the wallet's
		// answer lands on B (see newLoadBalancer); A's page turns verified
		// within a second.
		lb := newLoadBalancer(t)
		prefix := "test:" + randomHex(6) + ":"
		a := instance{store: "redis", prefix: prefix, publicURL: lb.srv.URL}.start(t)
		b := instance{store: "redis", prefix: prefix, publicURL: lb.srv.URL}.start(t)
		lb.browser.Store(proxyTo(a))
		lb.other.Store(proxyTo(b))
		tb := newTab(t, browser)
		tb.openDemo(a) // through the load balancer: a's PublicURL is the balancer's
		request := tb.clickLogin()
		tb.waitFor(button+`.getAttribute('transport') === 'sse'`, 5*time.Second)
		walletAnswers(t, request)
		answered := time.Now()
		tb.waitFor(stateIs("verified"), 5*time.Second)
		if late := time.Since(answered); late > time.Second {
			t.Errorf("the page on A turned verified %v after B took the answer", late)
		}
		tb.screenshot(shots, "10-two-instances-verified.png")
	})

	t.Run("redirect posts the session to the website", func(t *testing.T) {
		tb := newTab(t, browser)
		posted := make(chan *network.Request, 1)
		paused := chromedp.Events(tb.ctx, fetch.RequestPaused)
		go func() {
			for ev, err := range paused {
				if err != nil {
					return
				}
				posted <- ev.Request
				chromedp.Call(tb.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
					RequestID: ev.RequestID, ResponseCode: 200,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html"}},
					Body:            []byte("<!doctype html><title>welcome</title>"),
				})
			}
		}()
		if _, err := chromedp.Call(tb.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/welcome"}}}); err != nil {
			t.Fatal(err)
		}
		tb.openDemo(p)
		tb.do(chromedp.Evaluate[chromedp.Void](button + `.setAttribute('redirect', '/welcome')`))
		walletAnswers(t, tb.clickLogin())
		select {
		case r := <-posted:
			var body strings.Builder
			for _, e := range r.PostDataEntries {
				body.Write(e.Bytes)
			}
			form, _ := url.ParseQuery(body.String())
			if r.Method != "POST" || form.Get("session_id") == "" || len(form.Get("status_token")) < 43 || strings.Contains(r.URL, "token") {
				t.Fatalf("redirect: %s %s %q", r.Method, r.URL, body.String())
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no redirect")
		}
	})

	t.Run("a declined login shows the retry", func(t *testing.T) {
		tb := newTab(t, browser)
		tb.openDemo(p)
		request := tb.clickLogin()
		r, err := testwallet.ParseRequest(context.Background(), http.DefaultClient, request)
		if err != nil {
			t.Fatal(err)
		}
		// A processed decline answers 200 (OID4VP 1.0 §8.5); the session fails.
		resp, _, err := testwallet.Post(context.Background(), http.DefaultClient, r.ResponseURI, testwallet.Answer{State: r.State, Error: "access_denied"})
		// The contract: a processed decline answers 200.
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("decline: %v %v", err, resp)
		}
		tb.waitFor(stateIs("failed")+` && !`+shadow+`.querySelector('button.retry').hidden`, 5*time.Second)
		if got := tb.eval(shadow + `.querySelector('.status').textContent`); got != "The login failed." {
			t.Errorf("status %q", got)
		}
	})

	t.Run("texts switch with lang", func(t *testing.T) {
		tb := newTab(t, browser)
		tb.openDemo(p)
		for _, tc := range []struct{ lang, label, hint string }{
			{"de", "Mit IOTA anmelden", "Scannen Sie den QR-Code mit Ihrer IOTA-Wallet."},
			{"fr", "Se connecter avec IOTA", "Scannez le code QR avec votre portefeuille IOTA."},
			{"en", "Log in with IOTA", "Scan the QR code with your IOTA wallet."},
		} {
			tb.do(chromedp.Evaluate[chromedp.Void](button + `.setAttribute('lang', '` + tc.lang + `')`))
			if got := tb.eval(startBtn + `.textContent`); got != tc.label {
				t.Errorf("lang %s: button %q, want %q", tc.lang, got, tc.label)
			}
		}
		// The demo's own language select drives the attribute, and texts
		// shown while a login is pending switch too.
		tb.do(chromedp.SetValue(chromedp.ID("lang"), "de"),
			chromedp.Evaluate[chromedp.Void](`document.getElementById('lang').dispatchEvent(new Event('change'))`))
		tb.clickLogin()
		if got := tb.eval(shadow + `.querySelector('.hint').textContent`); got != "Scannen Sie den QR-Code mit Ihrer IOTA-Wallet." {
			t.Errorf("hint %q", got)
		}
		if got := tb.eval(shadow + `.querySelector('img.qr').alt`); got != "QR-Code zur Anmeldung mit Ihrer IOTA-Wallet" {
			t.Errorf("QR alt text %q", got)
		}
		tb.screenshot(shots, "5-pending-de.png")
		tb.do(chromedp.Evaluate[chromedp.Void](button + `.setAttribute('lang', 'fr')`))
		if got := tb.eval(shadow + `.querySelector('.countdown').textContent`); !strings.HasPrefix(got, "Expire dans ") {
			t.Errorf("countdown %q", got)
		}
		tb.screenshot(shots, "6-pending-fr.png")
	})

	t.Run("texts follow the browser's languages", func(t *testing.T) {
		for _, tc := range []struct{ accept, label string }{
			{"de-DE,de;q=0.9,en;q=0.5", "Mit IOTA anmelden"},
			{"fr-CH, fr;q=0.9", "Se connecter avec IOTA"},
			{"es-ES,es;q=0.9", "Log in with IOTA"}, // none of ours: English
		} {
			tb := newTab(t, browser)
			ua := tb.eval(`navigator.userAgent`)
			if _, err := chromedp.Call(tb.ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua, AcceptLanguage: tc.accept}); err != nil {
				t.Fatal(err)
			}
			tb.openDemo(p)
			if got := tb.eval(startBtn + `.textContent`); got != tc.label {
				t.Errorf("Accept-Language %s: button %q, want %q", tc.accept, got, tc.label)
			}
		}
	})

	t.Run("a phone opens the wallet on the same device", func(t *testing.T) {
		tb := newTab(t, browser)
		// No wallet is installed in the test browser, so opening the
		// openid4vp: link fails, as it would on a phone without one.
		tb.mu.Lock()
		tb.expected = func(m chromedp.ConsoleMessage) bool { return strings.Contains(m.Text, "openid4vp") }
		tb.mu.Unlock()
		tb.do(chromedp.Emulate(device.IPhone13))
		tb.openDemo(p)
		tb.do(chromedp.Click(chromedp.JSPath(startBtn)))
		tb.waitFor(stateIs("pending"), 10*time.Second)
		if got := tb.eval(`String(` + shadow + `.querySelector('img.qr').hidden)`); got != "true" {
			t.Error("a phone shows a QR code")
		}
		r, err := testwallet.ParseRequest(context.Background(), http.DefaultClient, tb.walletRequest())
		if err != nil {
			t.Fatal(err)
		}
		if r.ResponseMode != "form_post" {
			t.Fatalf("a phone started a %s login, want same-device form_post", r.ResponseMode)
		}
		if got := tb.eval(shadow + `.querySelector('.hint').textContent`); got != "Opening your wallet…" {
			t.Errorf("hint %q", got)
		}
		tb.screenshot(shots, "7-phone-same-device.png")
	})

	t.Run("keyboard only", func(t *testing.T) {
		tb := newTab(t, browser)
		tb.openDemo(p)
		tb.do(chromedp.KeyEvent(kb.Tab))
		if got := tb.eval(`String(document.activeElement.tagName) + ' ' + String(` + shadow + `.activeElement && ` + shadow + `.activeElement.className)`); got != "LOGIN-WITH-IOTA start" {
			t.Fatalf("after one Tab the focus is on %q, want the button", got)
		}
		tb.do(chromedp.KeyEvent(kb.Enter))
		request := tb.waitForRequest()
		// Focus moved into the panel; Tab reaches the wallet link.
		tb.do(chromedp.KeyEvent(kb.Tab))
		if got := tb.eval(`String(` + shadow + `.activeElement && ` + shadow + `.activeElement.className)`); got != "wallet-link" {
			t.Errorf("Tab in the panel focuses %q, want the wallet link", got)
		}
		tb.screenshot(shots, "8-keyboard-focus.png")
		// Escape closes it and gives the focus back to the button.
		tb.do(chromedp.KeyEvent(kb.Escape))
		tb.waitFor(stateIs("idle"), 2*time.Second)
		if got := tb.eval(`String(` + shadow + `.activeElement && ` + shadow + `.activeElement.className)`); got != "start" {
			t.Errorf("after Escape the focus is on %q", got)
		}
		// Enter again starts a fresh login that the wallet completes.
		tb.do(chromedp.KeyEvent(kb.Enter))
		if again := tb.waitForRequest(); again == request {
			t.Error("a new login reused the old request")
		}
		walletAnswers(t, tb.eval(walletLink+`.getAttribute('href')`))
		tb.waitFor(stateIs("verified"), 5*time.Second)
		if got := tb.eval(`String(` + shadow + `.activeElement && ` + shadow + `.activeElement.className)`); got != "status" {
			t.Errorf("after verification the focus is on %q, want the status", got)
		}
		if got := tb.eval(shadow + `.querySelector('.status').getAttribute('role')`); got != "status" {
			t.Errorf("the status line has role %q", got)
		}
	})

	t.Run("an expired session shows the retry", func(t *testing.T) {
		short := instance{store: "memory", replace: map[string]string{"lifetime: 5m": "lifetime: 2s"}}.start(t)
		tb := newTab(t, browser)
		tb.openDemo(short)
		first := tb.clickLogin()
		tb.waitFor(stateIs("expired"), 6*time.Second)
		tb.waitFor(`!`+shadow+`.querySelector('button.retry').hidden && `+shadow+`.activeElement === `+shadow+`.querySelector('button.retry')`, 2*time.Second)
		if got := tb.eval(shadow + `.querySelector('.status').textContent`); got != "The login expired." {
			t.Errorf("status %q", got)
		}
		tb.screenshot(shots, "9-expired-retry.png")
		tb.do(chromedp.Click(chromedp.JSPath(shadow + `.querySelector('button.retry')`)))
		if second := tb.waitForRequest(); second == first {
			t.Error("retry reused the expired request")
		}
	})
}
