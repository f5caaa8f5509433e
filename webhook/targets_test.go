package webhook_test

import (
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/webhook"
)

func TestCheckTargetURL(t *testing.T) {
	for _, tt := range []struct {
		url                string
		allowHTTP, private bool
		want               string // "" ok, else a part of the error
	}{
		{"https://hooks.example.com/login", false, false, ""},
		{"https://hooks.example.com:8443/login?site=1", false, false, ""},
		{"http://hooks.example.com/login", false, false, "https"},
		{"http://hooks.example.com/login", true, false, ""},
		{"ftp://hooks.example.com/", true, false, "http or https"},
		{"https:///path", false, false, "no host"},
		{"https://user:pw@hooks.example.com/", false, false, "user or password"},
		{"https://hooks.example.com/#x", false, false, "fragment"},
		{"https://127.0.0.1/", false, false, "not a public address"},
		{"https://10.1.2.3:9000/", false, false, "not a public address"},
		{"https://[::1]/", false, false, "not a public address"},
		{"https://[::ffff:192.168.0.1]/", false, false, "not a public address"},
		{"https://169.254.169.254/latest/meta-data", false, false, "not a public address"},
		{"https://localhost/", false, false, "local"},
		{"https://api.localhost./", false, false, "local"},
		{"https://127.0.0.1/", false, true, ""},
		{"https://8.8.8.8/", false, false, ""},
	} {
		err := webhook.CheckTargetURL(tt.url, tt.allowHTTP, tt.private)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.url, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %v, want an error about %q", tt.url, err, tt.want)
		}
	}
}

func TestCheckSessionURL(t *testing.T) {
	targets := &webhook.Targets{Sessions: webhook.SessionTargets{AllowedHosts: []string{"hooks.example.com", "*.example.org", "pinned.example.net:8443"}}}
	for _, tt := range []struct {
		url string
		ok  bool
	}{
		{"https://hooks.example.com/a", true},
		{"https://HOOKS.example.com:444/a", true},
		{"https://evil.hooks.example.com/a", false},
		{"https://hooks.example.com.evil.net/a", false},
		{"https://a.example.org/x", true},
		{"https://a.b.example.org/x", true},
		{"https://example.org/x", false},
		{"https://pinned.example.net:8443/", true},
		{"https://pinned.example.net/", false},
		{"http://hooks.example.com/a", false},
		{"https://" + strings.Repeat("a", 2050) + ".example.org/", false},
	} {
		if err := targets.CheckSessionURL(tt.url); (err == nil) != tt.ok {
			t.Errorf("%.60s: %v, want ok=%v", tt.url, err, tt.ok)
		}
	}
	if err := (&webhook.Targets{}).CheckSessionURL("https://hooks.example.com/"); err == nil || !strings.Contains(err.Error(), "not enabled") {
		t.Errorf("without allowed hosts: %v", err)
	}
}

// TestFor: a login's destinations are its definition's endpoints and its
// own URL, each once.
func TestFor(t *testing.T) {
	targets := &webhook.Targets{
		Endpoints: []webhook.Endpoint{
			{URL: "https://all.example/", IncludeResult: true},
			{URL: "https://id.example/", Definitions: []string{"verifiable-id"}},
			{URL: "https://other.example/", Definitions: []string{"other"}},
		},
		Sessions: webhook.SessionTargets{AllowedHosts: []string{"site.example"}, IncludeResult: true},
	}
	got := targets.For(session.Session{DefinitionID: "verifiable-id", WebhookURL: "https://id.example/"})
	want := []webhook.Destination{{URL: "https://all.example/", IncludeResult: true}, {URL: "https://id.example/"}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("For = %+v, want %+v", got, want)
	}
	got = targets.For(session.Session{DefinitionID: "other", WebhookURL: "https://site.example/h"})
	if len(got) != 3 || got[2] != (webhook.Destination{URL: "https://site.example/h", IncludeResult: true}) {
		t.Errorf("For = %+v", got)
	}
}

func TestSecrets(t *testing.T) {
	for _, bad := range []string{"", "abc", "whsec_", "whsec_!!!", "whsec_" + strings.Repeat("A", 20), "whsec_" + strings.Repeat("A", 100)} {
		if _, err := webhook.ParseSecret(bad); err == nil {
			t.Errorf("ParseSecret(%q) accepted", bad)
		}
	}
	a, b := webhook.NewSecret(), webhook.NewSecret()
	if a == b || !strings.HasPrefix(a, "whsec_") {
		t.Fatalf("NewSecret: %q %q", a, b)
	}
	sa, err := webhook.ParseSecret(a)
	if err != nil {
		t.Fatal(err)
	}
	if s := sa.String(); strings.Contains(s, a[6:12]) {
		t.Errorf("a secret's text shows its key: %s", s)
	}
	// The signature is the library's, byte for byte.
	ts := time.Unix(1700000000, 0)
	body := []byte(`{"type":"session.verified"}`)
	wh, _ := standardwebhooks.NewWebhook(a)
	want, _ := wh.Sign("evt.1", ts, body)
	if got := webhook.Sign([]webhook.Secret{sa}, "evt.1", ts, body); got != want {
		t.Errorf("Sign = %s, the library signs %s", got, want)
	}
}

func TestBackoff(t *testing.T) {
	b := webhook.Backoff{Initial: time.Second, Max: 10 * time.Second, Rand: func() float64 { return 0 }}
	for n, want := range map[int]time.Duration{1: 500 * time.Millisecond, 2: time.Second, 3: 2 * time.Second, 4: 4 * time.Second, 5: 5 * time.Second, 40: 5 * time.Second} {
		if got := b.Delay(n); got != want {
			t.Errorf("Delay(%d) = %v, want %v (half fixed)", n, got, want)
		}
	}
	b.Rand = func() float64 { return 0.999999 }
	if got := b.Delay(2); got < 1999*time.Millisecond || got > 2*time.Second {
		t.Errorf("Delay(2) with full jitter = %v, want just under 2s", got)
	}
}
