package main

import (
	"context"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/issuer/issuertest"
)

// redisURL is the test Redis; without one the test skips on a workstation
// and fails in CI (CI set).
func redisURL(t *testing.T) string {
	addr := os.Getenv("VERIFIER_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	c := goredis.NewClient(&goredis.Options{Addr: addr})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("no Redis at %s: %v", addr, err)
		}
		t.Fatalf("no Redis at %s in CI: %v", addr, err)
	}
	return "redis://" + addr + "/0"
}

// TestTwoInstancesOneRedis: two issuer processes on one Redis (one key
// file, one prefix) are one issuer: an offer made on A is exchanged on B,
// the nonce of A proves on B, wrong tx_codes on both count together, a
// code used on A is used on B.
func TestTwoInstancesOneRedis(t *testing.T) {
	url := redisURL(t)
	dir := t.TempDir()
	prefix := "liota-issuer-test:" + rand.Text() + ":"
	cfg := baseConfig("redis: {key_prefix: \"" + prefix + "\"}\n")
	a := start(t, dir, cfg, "--redis", url)
	bdir := t.TempDir()
	key, err := os.ReadFile(filepath.Join(dir, "issuer-key.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bdir, "issuer-key.json"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	b := start(t, bdir, cfg, "--redis", url)
	// Each has its own URL (and so its own aud); the state is one.
	ca, cb := client(t, a), client(t, b)
	cb.Base = b.URL
	h := issuertest.NewHolder(t, false)

	o := ca.Offer(twoConfigs)
	if got := cb.Get(strings.Replace(o.OfferURI, a.URL, b.URL, 1)); got.Status != 200 {
		t.Fatalf("B does not serve A's offer: %d", got.Status)
	}
	tok := cb.AccessToken(o.Code, o.TxCode)
	// A nonce from A, a proof for B's identifier, a credential from B.
	n := ca.Nonce()
	ok := cb.Credential(tok, map[string]any{"credential_configuration_id": "VerifiableId",
		"proofs": map[string]any{"jwt": []string{cb.Proof(h, n, issuertest.Spec{})}}})
	if ok.Status != 200 {
		t.Fatalf("%d %s", ok.Status, ok.Raw)
	}
	// The nonce is spent on A too.
	want(t, ca.Credential(tok, map[string]any{"credential_configuration_id": "VerifiableId_JWT",
		"proofs": map[string]any{"jwt": []string{ca.Proof(h, n, issuertest.Spec{})}}}), 400, "invalid_nonce")
	// The code, used on B, is used on A; replaying it there revokes the
	// token B issued.
	want(t, ca.Token(o.Code, o.TxCode), 400, "invalid_grant")
	want(t, cb.Credential(tok, map[string]any{"credential_configuration_id": "VerifiableId_JWT",
		"proofs": map[string]any{"jwt": []string{cb.Proof(h, cb.Nonce(), issuertest.Spec{})}}}), 401, "invalid_token")

	o = ca.Offer(twoConfigs)
	wrong := "000000"
	if o.TxCode == wrong {
		wrong = "111111"
	}
	for i := range 5 {
		c := ca
		if i%2 == 1 {
			c = cb
		}
		want(t, c.Token(o.Code, wrong), 400, "invalid_grant")
	}
	want(t, cb.Token(o.Code, o.TxCode), 400, "invalid_grant") // dead on both

	if !strings.Contains(a.Logs(), `"store":"redis"`) || !strings.Contains(b.Logs(), `"store":"redis"`) {
		t.Fatal("not on Redis")
	}
}

// TestStartFailures: a bad config or an unreachable Redis stops the start
// with one line naming the problem.
func TestStartFailures(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct {
		config string
		args   []string
		want   string
	}{
		"unknown key":       {"key:\n  flie: k.json\n", nil, "key.flie: unknown key (line 2)"},
		"bad proof type":    {"credential_configurations:\n  - {id: a, format: ldp_vc, types: [X], proof_type: RsaSignature2018}\n", nil, "credential_configurations[0].proof_type"},
		"unreachable redis": {"", []string{"--redis", "redis://127.0.0.1:1/0"}, "is unreachable"},
		"bad flag":          {"", []string{"--lissten", "x"}, "usage: issuer"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".yaml")
			if err := os.WriteFile(path, []byte(tc.config), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(issuerBin, append([]string{"--config", path, "--listen", "127.0.0.1:0"}, tc.args...)...).CombinedOutput()
			if err == nil || !strings.Contains(string(out), tc.want) || strings.Count(strings.TrimSpace(string(out)), "\n") > 0 {
				t.Fatalf("exit %v, output %q, want one line with %q", err, out, tc.want)
			}
		})
	}
}
