package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/internal/safehttp"
	"github.com/loginwithiota/verifier/webhook"
)

// Webhooks announce every login's end to websites' backends, signed
// (docs/webhooks.md). On when an endpoint or an allowed host is set.
type Webhooks struct {
	// Endpoints hear of the logins of their definitions.
	Endpoints []WebhookEndpoint `yaml:"endpoints"`
	// AllowedHosts are the hosts a website may name in webhook_url when it
	// starts a login ("hooks.example.com", "hooks.example.com:8443",
	// "*.example.com"); empty: webhook_url is refused.
	AllowedHosts []string `yaml:"allowed_hosts"`
	// Secrets sign the deliveries to webhook_url targets: the current one,
	// and during a rotation the previous one ("whsec_…").
	Secrets []string `yaml:"secrets"`
	// IncludeResult puts holder and credentials (personal data) in the
	// verified events to webhook_url targets (default true).
	IncludeResult *bool `yaml:"include_result"`
	// AllowHTTP permits http:// targets; AllowPrivateAddresses targets on
	// loopback, private and other non-public addresses. Both off by
	// default; checked at load (address literals) and at every dial.
	AllowHTTP             bool `yaml:"allow_http"`
	AllowPrivateAddresses bool `yaml:"allow_private_addresses"`
	// Timeout bounds one attempt (default 10s); Workers the attempts in
	// flight per instance (default 4).
	Timeout Duration `yaml:"timeout"`
	Workers int      `yaml:"workers"`
	Retry   Retry    `yaml:"retry"`
	// Lease is how long a claimed event is one instance's before another
	// may send it (default 1m; more than timeout).
	Lease Duration `yaml:"lease"`
	// PollInterval is how often due events are looked for (default 1s);
	// ResyncInterval how often an instance reads every outbox index on
	// Redis for what other instances left (default 10s); ExpiryInterval
	// how often logins past their expiry are ended (default 1s).
	PollInterval   Duration `yaml:"poll_interval"`
	ResyncInterval Duration `yaml:"resync_interval"`
	ExpiryInterval Duration `yaml:"expiry_interval"`
	// LogRetention is how long a delivery record is kept after its last
	// attempt (default 168h).
	LogRetention Duration `yaml:"log_retention"`
	// OperatorKey (or OperatorKeyFile, relative to the config's directory)
	// opens the delivery log at /api/v1/webhooks/events as a bearer token;
	// at least 32 bytes. Unset: the log is not served.
	OperatorKey     string `yaml:"operator_key"`
	OperatorKeyFile string `yaml:"operator_key_file"`
}

// WebhookEndpoint is one configured target.
type WebhookEndpoint struct {
	URL string `yaml:"url"`
	// Secrets sign its deliveries: the current one, and during a rotation
	// the previous one.
	Secrets []string `yaml:"secrets"`
	// Definitions are the ids of the definitions it hears of; empty: all.
	Definitions []string `yaml:"definitions"`
	// IncludeResult puts holder and credentials in verified events
	// (default true).
	IncludeResult *bool `yaml:"include_result"`
}

// Retry is the schedule of attempts after a failed one: Initial doubled
// each time up to Max, with jitter, none later than Horizon after the
// login's end.
type Retry struct {
	InitialInterval Duration `yaml:"initial_interval"`
	MaxInterval     Duration `yaml:"max_interval"`
	Horizon         Duration `yaml:"horizon"`
}

// Enabled reports whether any target is configured.
func (w *Webhooks) Enabled() bool { return len(w.Endpoints) > 0 || len(w.AllowedHosts) > 0 }

func (w *Webhooks) applyDefaults() {
	t := true
	if w.IncludeResult == nil {
		w.IncludeResult = &t
	}
	for i := range w.Endpoints {
		if w.Endpoints[i].IncludeResult == nil {
			w.Endpoints[i].IncludeResult = &t
		}
	}
	for d, v := range map[*Duration]time.Duration{&w.Timeout: 10 * time.Second, &w.Lease: time.Minute,
		&w.PollInterval: time.Second, &w.ResyncInterval: 10 * time.Second, &w.ExpiryInterval: time.Second,
		&w.LogRetention: 7 * 24 * time.Hour, &w.Retry.InitialInterval: webhook.DefaultInitialInterval,
		&w.Retry.MaxInterval: webhook.DefaultMaxInterval, &w.Retry.Horizon: webhook.DefaultHorizon} {
		if *d == 0 {
			*d = Duration(v)
		}
	}
	if w.Workers == 0 {
		w.Workers = webhook.DefaultWorkers
	}
}

// validate checks the section; definitions are the presentation_definitions
// items, for the ids endpoints name.
func (w *Webhooks) validate(definitions []map[string]any) error {
	ids := map[string]bool{}
	for _, d := range definitions {
		if id, ok := d["id"].(string); ok {
			ids[id] = true
		}
	}
	seen := map[string]bool{}
	for i, e := range w.Endpoints {
		at := fmt.Sprintf("webhooks.endpoints[%d]", i)
		if err := webhook.CheckTargetURL(e.URL, w.AllowHTTP, w.AllowPrivateAddresses); err != nil {
			return fmt.Errorf("%s.url: %w", at, err)
		}
		if seen[e.URL] {
			return fmt.Errorf("%s.url: %q is configured twice", at, e.URL)
		}
		seen[e.URL] = true
		if err := checkSecrets(e.Secrets); err != nil {
			return fmt.Errorf("%s.secrets: %w", at, err)
		}
		for j, id := range e.Definitions {
			if !ids[id] {
				return fmt.Errorf("%s.definitions[%d]: no presentation definition has the id %q", at, j, id)
			}
		}
	}
	for i, h := range w.AllowedHosts {
		if err := checkAllowedHost(h, w.AllowPrivateAddresses); err != nil {
			return fmt.Errorf("webhooks.allowed_hosts[%d]: %w", i, err)
		}
	}
	switch {
	case len(w.AllowedHosts) > 0:
		if err := checkSecrets(w.Secrets); err != nil {
			return fmt.Errorf("webhooks.secrets: %w (they sign the deliveries to webhook_url)", err)
		}
	case len(w.Secrets) > 0:
		return errors.New("webhooks.secrets: they sign deliveries to webhook_url, which needs webhooks.allowed_hosts")
	}
	return w.validateSchedule()
}

func (w *Webhooks) validateSchedule() error {
	switch {
	case w.Timeout.Std() <= 0:
		return errors.New("webhooks.timeout: must be positive")
	case w.Lease.Std() <= w.Timeout.Std():
		return errors.New("webhooks.lease: must be longer than webhooks.timeout (a lease that lapses during an attempt lets another instance send it too)")
	case w.Workers < 1 || w.Workers > 256:
		return errors.New("webhooks.workers: want 1 to 256")
	case w.Retry.InitialInterval.Std() <= 0:
		return errors.New("webhooks.retry.initial_interval: must be positive")
	case w.Retry.MaxInterval.Std() < w.Retry.InitialInterval.Std():
		return errors.New("webhooks.retry.max_interval: must be at least initial_interval")
	case w.Retry.Horizon.Std() < w.Retry.InitialInterval.Std():
		return errors.New("webhooks.retry.horizon: must be at least initial_interval")
	case w.PollInterval.Std() <= 0 || w.ResyncInterval.Std() <= 0 || w.ExpiryInterval.Std() <= 0:
		return errors.New("webhooks: poll_interval, resync_interval and expiry_interval must be positive")
	case w.LogRetention.Std() < time.Minute:
		return errors.New("webhooks.log_retention: must be at least 1m")
	case w.OperatorKey != "" && w.OperatorKeyFile != "":
		return errors.New("webhooks.operator_key: set it or operator_key_file, not both")
	case w.OperatorKey != "" && len(w.OperatorKey) < 32:
		return errors.New("webhooks.operator_key: must be at least 32 bytes (e.g. openssl rand -base64 32)")
	}
	return nil
}

// checkSecrets wants one or two Standard Webhooks secrets.
func checkSecrets(secrets []string) error {
	if len(secrets) == 0 || len(secrets) > 2 {
		return errors.New(`want one secret, or two during a rotation (make one with "verifier webhooks secret")`)
	}
	for i, s := range secrets {
		if _, err := webhook.ParseSecret(s); err != nil {
			return fmt.Errorf("[%d]: %w", i, err) // never the secret itself
		}
	}
	return nil
}

// checkAllowedHost wants a host name, *.domain or host:port; a private
// address literal only when allowed.
func checkAllowedHost(h string, allowPrivate bool) error {
	host := h
	if hp, port, err := net.SplitHostPort(h); err == nil {
		if port == "" || strings.Trim(port, "0123456789") != "" {
			return fmt.Errorf("%q: want a host, host:port or *.domain", h)
		}
		host = hp
	}
	name := strings.TrimPrefix(host, "*.")
	switch {
	case name == "" || strings.ContainsAny(name, "/@?#*[] ") || strings.Contains(name, ":") && !isIPv6(name):
		return fmt.Errorf("%q: want a host, host:port or *.domain", h)
	case allowPrivate:
		return nil
	case name == "localhost" || strings.HasSuffix(name, ".localhost"):
		return fmt.Errorf("%q is local (allow_private_addresses is off)", h)
	}
	if ip, err := netip.ParseAddr(name); err == nil && !safehttp.Public(ip) {
		return fmt.Errorf("%q is not a public address (allow_private_addresses is off)", h)
	}
	return nil
}

func isIPv6(s string) bool {
	ip, err := netip.ParseAddr(s)
	return err == nil && ip.Is6()
}

// SessionIncludesResult is include_result of webhook_url targets.
func (w *Webhooks) SessionIncludesResult() bool { return w.IncludeResult == nil || *w.IncludeResult }

// Includes is the endpoint's include_result.
func (e *WebhookEndpoint) Includes() bool { return e.IncludeResult == nil || *e.IncludeResult }
