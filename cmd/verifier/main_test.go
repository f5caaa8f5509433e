package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/internal/testshared"
	sessionredis "github.com/loginwithiota/verifier/session/redis"
)

// redisAddr is the test Redis; CI guarantees one, elsewhere tests skip without it.
func redisAddr() string {
	if a := os.Getenv("VERIFIER_TEST_REDIS"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

func requireRedis(t *testing.T) {
	t.Helper()
	c := goredis.NewClient(&goredis.Options{Addr: redisAddr()})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Redis at %s is required in CI: %v", redisAddr(), err)
		}
		t.Skipf("no Redis at %s: %v", redisAddr(), err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// extraDefinitions are appended to the shipped config, the way operators add them.
const extraDefinitions = `
  - id: two-credentials
    input_descriptors:
      - id: id-card
        constraints:
          fields:
            - path: ["$.type"]
              filter: {type: string, pattern: VerifiableId}
      - id: diploma
        constraints:
          fields:
            - path: ["$.credentialSubject.degree"]
              filter: {type: string, enum: [BSc, MSc]}
`

// shippedConfig is the repository's config.yaml pinned to the
// profile-2022 dialect (its protocol list reordered, draft-20 still
// allowed): the tests written for the profile's requests (post / form_post,
// redirect_uri, scope) keep testing them. draft20_test.go starts the file
// as it is (shippedConfigAsIs).
func shippedConfig(t *testing.T) string {
	t.Helper()
	const shipped, pinned = "protocol: [draft-20, profile-2022]", "protocol: [profile-2022, draft-20]"
	cfg := shippedConfigAsIs(t)
	if !strings.Contains(cfg, shipped) {
		t.Fatalf("config.yaml has no %q line to pin the tests to profile-2022", shipped)
	}
	return strings.Replace(cfg, shipped, pinned, 1)
}

// shippedConfigAsIs is the repository's config.yaml, unchanged.
func shippedConfigAsIs(t *testing.T) string {
	t.Helper()
	return string(testshared.ReadFile(t, filepath.Join("..", "..", "config.yaml")))
}

// relaxLimits turns the per-client limit of session creation off in a
// test's config unless it sets limits itself: tests start many logins
// from one address.
func relaxLimits(cfg string) string {
	if strings.HasPrefix(cfg, "limits:") || strings.Contains(cfg, "\nlimits:") {
		return cfg
	}
	return cfg + "\nlimits:\n  sessions_per_second: -1\n"
}

// startProgram runs the whole service on :0 with the shipped config (plus
// extra definitions and overrides) on the named store.
func startProgram(t *testing.T, store string, overrides string) *Program {
	t.Helper()
	cfg := relaxLimits(shippedConfig(t) + extraDefinitions + overrides)
	if store == "redis" {
		requireRedis(t)
		cfg = "redis:\n  key_prefix: \"test:" + randomHex(6) + ":\"\n" + strings.Replace(cfg, "# redis:", "# (redis set above)", 1)
	}
	o := Options{ConfigPath: testshared.WriteTemp(t, "config.yaml", cfg), Listen: "127.0.0.1:0"}
	if store == "redis" {
		o.RedisURL = "redis://" + redisAddr() + "/0"
	}
	p, err := Open(context.Background(), o, io.Discard)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return p
}

// fixtureService is the whole program on a config of the test's, with a
// Redis store the test reaches (to give a started session the nonce its
// fixtures were signed for) and https://verifier.example as its public URL
// (so client_id is the fixtures' audience and domain).
type fixtureService struct {
	t     *testing.T
	p     *Program
	site  *site
	store *sessionredis.Store
}

// startFixtureService starts the program on cfg under a fresh Redis key
// prefix named after kind.
func startFixtureService(t *testing.T, kind, cfg string) *fixtureService {
	t.Helper()
	requireRedis(t)
	prefix := "test:" + kind + ":" + randomHex(6) + ":"
	if !strings.Contains(cfg, "\noid4vp:") && !strings.HasPrefix(cfg, "oid4vp:") {
		// The fixtures' logins test the profile's requests (see shippedConfig).
		cfg = "oid4vp:\n  protocol: profile-2022\n" + cfg
	}
	path := testshared.WriteTemp(t, "config.yaml", relaxLimits("redis:\n  key_prefix: \""+prefix+"\"\n"+cfg))
	p, err := Open(context.Background(), Options{ConfigPath: path, Listen: "127.0.0.1:0",
		PublicURL: "https://verifier.example", RedisURL: "redis://" + redisAddr() + "/0"}, io.Discard)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	client := goredis.NewClient(&goredis.Options{Addr: redisAddr()})
	t.Cleanup(func() { client.Close() })
	jar, _ := cookiejar.New(nil)
	return &fixtureService{t: t, p: p, store: sessionredis.New(client, sessionredis.Options{Prefix: prefix}),
		site: &site{t: t, base: "http://" + p.Addr(), http: &http.Client{Jar: jar, Timeout: 10 * time.Second}}}
}

// site is a website plus its user's browser (a cookie jar).
type site struct {
	t    *testing.T
	base string
	http *http.Client
}

func newSite(t *testing.T, p *Program) *site {
	jar, _ := cookiejar.New(nil)
	return &site{t: t, base: p.PublicURL, http: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

type created struct {
	ID                   string `json:"id"`
	Status               string `json:"status"`
	AuthorizationRequest string `json:"authorization_request"`
	QRSVG                string `json:"qr_svg"`
	QRPNG                string `json:"qr_png"`
	StatusURL            string `json:"status_url"`
	StatusToken          string `json:"status_token"`
	ExpiresAt            string `json:"expires_at"`
}

func (s *site) do(method, path, contentType, body string, header map[string]string) (int, http.Header, []byte) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func (s *site) start(definition, flow string) created {
	s.t.Helper()
	code, _, body := s.do("POST", "/api/v1/sessions", "application/json", fmt.Sprintf(`{"definition":%q,"flow":%q}`, definition, flow), nil)
	if code != http.StatusCreated {
		s.t.Fatalf("create: %d %s", code, body)
	}
	var c created
	if err := json.Unmarshal(body, &c); err != nil {
		s.t.Fatal(err)
	}
	return c
}

type status struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Error  *struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Reason      string `json:"reason"`
	} `json:"error"`
	Result *struct {
		Holder      string `json:"holder"`
		Credentials []struct {
			Type              []string       `json:"type"`
			Issuer            string         `json:"issuer"`
			CredentialSubject map[string]any `json:"credentialSubject"`
		} `json:"credentials"`
	} `json:"result"`
}

func (s *site) status(c created) status {
	s.t.Helper()
	code, _, body := s.do("GET", c.StatusURL, "", "", map[string]string{"Authorization": "Bearer " + c.StatusToken})
	if code != http.StatusOK {
		s.t.Fatalf("status: %d %s", code, body)
	}
	var st status
	if err := json.Unmarshal(body, &st); err != nil {
		s.t.Fatal(err)
	}
	return st
}

type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	Reason      string `json:"reason"`
}

func decodeError(t *testing.T, body []byte) oauthError {
	t.Helper()
	var e oauthError
	if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
		t.Fatalf("want an OAuth error body, got %q", body)
	}
	return e
}

var stores = []string{"memory", "redis"}
