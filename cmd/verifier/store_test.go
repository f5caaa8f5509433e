package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/redistest"
	"github.com/loginwithiota/verifier/internal/testshared"
)

// TestRedisTLSAndACL: rediss:// with the server's CA from redis.tls.ca_file
// and an ACL user and password in the URL; a login goes through. A wrong
// password and an untrusted certificate each stop the start with one line
// that names the target and never the password.
func TestRedisTLSAndACL(t *testing.T) {
	tlsSrv, caFile := redistest.StartTLS(t)
	aclSrv := redistest.StartServerAuth(t, "verifier", "s3cret-pw")

	start := func(url, extra string) (*Program, error) {
		cfg := "redis:\n  key_prefix: \"tls:\"\n" + extra + strings.Replace(shippedConfig(t), "# redis:", "# (redis set above)", 1)
		return Open(context.Background(), Options{ConfigPath: testshared.WriteTemp(t, "config.yaml", cfg),
			Listen: "127.0.0.1:0", RedisURL: url}, io.Discard)
	}
	for name, tc := range map[string]struct{ url, extra string }{
		"tls":      {"rediss://" + tlsSrv.Addr + "/0", "  tls:\n    ca_file: " + caFile + "\n"},
		"acl user": {"redis://verifier:s3cret-pw@" + aclSrv.Addr + "/0", ""},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := start(tc.url, tc.extra)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			s := newSite(t, p)
			l := startLogins(t, s.http, p.PublicURL, 1)[0]
			if err := l.answerVia(&http.Client{Timeout: 10 * time.Second}, p.PublicURL, newLoginWallet(t)); err != nil || l.code != http.StatusOK {
				t.Fatalf("answer: %v %d", err, l.code)
			}
			if st := l.statusVia(t, s.http, p.PublicURL); st != "verified" {
				t.Fatalf("status %s", st)
			}
		})
	}

	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"wrong password": {[]string{"--redis", "redis://verifier:wrong-pw@" + aclSrv.Addr + "/0"}, "WRONGPASS"},
		"untrusted cert": {[]string{"--redis", "rediss://" + tlsSrv.Addr + "/0"}, "certificate"},
		"bad url":        {[]string{"--redis", "redis://verifier:s3cret-pw@h:1,h:2/0"}, "redis.url"},
	} {
		t.Run(name, func(t *testing.T) {
			errFile, err := os.CreateTemp(t.TempDir(), "stderr")
			if err != nil {
				t.Fatal(err)
			}
			defer errFile.Close()
			cfg := testshared.WriteTemp(t, "config.yaml", shippedConfig(t))
			code := run(context.Background(), append([]string{"--config", cfg, "--listen", "127.0.0.1:0"}, tc.args...), func(string) string { return "" }, errFile)
			out, _ := os.ReadFile(errFile.Name())
			lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
			if code != 1 || len(lines) != 1 || !strings.Contains(lines[0], tc.want) {
				t.Fatalf("exit %d, stderr %q; want one line with %q", code, out, tc.want)
			}
			t.Log(lines[0])
			if strings.Contains(lines[0], "wrong-pw") || strings.Contains(lines[0], "s3cret") {
				t.Errorf("the line shows the password: %s", lines[0])
			}
		})
	}
}
