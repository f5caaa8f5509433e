package main

import (
	"bufio"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestQuickstart runs docs/quickstart.md as written, on a fresh machine: a
// directory holding only the repository's config.yaml and issuer.yaml, a
// HOME with nothing in it. The commands are the document's own (each `go
// run ./cmd/X ARGS` runs the built X with ARGS); the offer and the login
// request are taken from the pages the way a person copies them: the
// issuer page's wallet command after its button, the demo page's wallet
// link after its button (the request the page's script starts). Only the
// ports differ: VERIFIER_LISTEN and ISSUER_LISTEN pick free ones, since
// 8080 and 8081 may be taken where the tests run.
func TestQuickstart(t *testing.T) {
	cmds := quickstartCommands(t)
	if len(cmds) != 4 || cmds[0] != "go run ./cmd/verifier" || cmds[1] != "go run ./cmd/issuer" ||
		!strings.HasPrefix(cmds[2], "go run ./cmd/wallet receive '") || !strings.HasPrefix(cmds[3], "go run ./cmd/wallet present '") {
		t.Fatalf("the quickstart's commands changed; update this test with them: %q", cmds)
	}
	dir := t.TempDir()
	copyFile(t, "config.yaml", dir)
	copyFile(t, "issuer.yaml", dir)
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=", "VERIFIER_LISTEN=127.0.0.1:0", "ISSUER_LISTEN=127.0.0.1:0"}

	// 1 and 2: the two programs, with the document's arguments (none).
	verifier := startService(t, bins["verifier"], dir, env, args(t, cmds[0], "verifier")...)
	issuer := startService(t, bins["issuer"], dir, env, args(t, cmds[1], "issuer")...)
	if _, err := os.Stat(filepath.Join(dir, "issuer-key.json")); err != nil {
		t.Fatalf("the issuer made no key on its first start: %v", err)
	}

	// 3: the issuer's page, its button, the command it shows.
	b := newBrowser(t)
	front := b.page(issuer.URL + "/")
	action := regexp.MustCompile(`<form method="post" action="([^"]+)"><button type="submit">Get a test credential</button>`).FindStringSubmatch(front)
	if action == nil {
		t.Fatalf("no Get a test credential button:\n%s", front)
	}
	resp, err := b.c.PostForm(issuer.URL+html.UnescapeString(action[1]), url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	offerPage := readAll(t, resp)
	shown := regexp.MustCompile(`<code id="wallet-command">([^<]+)</code>`).FindStringSubmatch(offerPage)
	if shown == nil {
		t.Fatalf("no wallet command on the offer page:\n%s", offerPage)
	}
	receive := html.UnescapeString(shown[1])
	if !sameShape(cmds[2], receive) {
		t.Fatalf("the page shows %q, the quickstart %q", receive, cmds[2])
	}
	out, err := walletAt(t, home, "", args(t, receive, "wallet")...)
	if err != nil || !strings.Contains(out, "Stored credential 1: VerifiableId (ldp_vc), issuer signature verified") ||
		!strings.Contains(out, "Stored credential 2: VerifiableId_SD_JWT (dc+sd-jwt), issuer signature verified") {
		t.Fatalf("receive: %v\n%s", err, out)
	}

	// 4: the demo page, its button (the script starts a login as below),
	// the wallet link it shows, the holder's "y".
	demo := b.page(verifier.URL + "/")
	def := regexp.MustCompile(`<login-with-iota[^>]* definition="([^"]+)"`).FindStringSubmatch(demo)
	if def == nil {
		t.Fatalf("no Log in with IOTA button on the demo page:\n%s", demo)
	}
	var started struct {
		ID                   string `json:"id"`
		AuthorizationRequest string `json:"authorization_request"`
	}
	if st := b.json(http.MethodPost, verifier.URL+"/api/v1/sessions", map[string]string{"definition": def[1], "flow": "cross-device"}, &started); st != 201 {
		t.Fatalf("start a login: %d", st)
	}
	present := strings.Replace(cmds[3], cmds[3][len("go run ./cmd/wallet present "):], "'"+started.AuthorizationRequest+"'", 1)
	out, err = walletAt(t, home, "y\n", args(t, present, "wallet")...)
	if err != nil || !strings.Contains(out, "Share? [y/N]") || !strings.Contains(out, "The verifier accepted the presentation.") {
		t.Fatalf("present: %v\n%s", err, out)
	}
	// The page polls its login with its cookie and, verified, says so.
	var st map[string]any
	b.json(http.MethodGet, verifier.URL+"/api/v1/sessions/"+started.ID, nil, &st)
	if st["status"] != "verified" {
		t.Fatalf("the login: %v", st)
	}
	if js := b.page(verifier.URL + "/static/login-with-iota.js"); !strings.Contains(js, "verified: 'You are logged in.'") {
		t.Fatal("the button no longer says You are logged in. when verified")
	}
}

// quickstartCommands are the `go run` lines of the document's sh blocks.
func quickstartCommands(t *testing.T) []string {
	f, err := os.Open(filepath.Join(repo, "docs", "quickstart.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cmds []string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "```sh":
			in = true
		case line == "```":
			in = false
		case in && strings.HasPrefix(line, "go run "):
			cmds = append(cmds, line)
		}
	}
	return cmds
}

// args splits a `go run ./cmd/NAME ARGS` line into ARGS: words, and
// single-quoted strings as one word (the only quoting the document uses).
func args(t *testing.T, line, name string) []string {
	t.Helper()
	rest, ok := strings.CutPrefix(line, "go run ./cmd/"+name)
	if !ok {
		t.Fatalf("%q does not run ./cmd/%s", line, name)
	}
	var out []string
	for rest = strings.TrimSpace(rest); rest != ""; rest = strings.TrimSpace(rest) {
		if rest[0] == '\'' {
			end := strings.IndexByte(rest[1:], '\'')
			if end < 0 {
				t.Fatalf("unbalanced quote in %q", line)
			}
			out = append(out, rest[1:end+1])
			rest = rest[end+2:]
			continue
		}
		word, tail, _ := strings.Cut(rest, " ")
		out = append(out, word)
		rest = tail
	}
	return out
}

// sameShape: the page's command is the document's with another offer and code.
func sameShape(doc, page string) bool {
	shape := regexp.MustCompile(`^go run ./cmd/wallet receive 'openid-credential-offer://\?credential_offer_uri=[^']+' --tx-code \S+$`)
	return shape.MatchString(doc) && shape.MatchString(page)
}

// walletAt runs the built wallet with the document's arguments and the
// fresh HOME (so its default directory is the new machine's).
func walletAt(t *testing.T, home, stdin string, a ...string) (string, error) {
	t.Helper()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	cmd := walletCommand(a, stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var b strings.Builder
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		b.WriteString(sc.Text() + "\n")
	}
	return b.String()
}
