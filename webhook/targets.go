package webhook

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/loginwithiota/verifier/internal/safehttp"
	"github.com/loginwithiota/verifier/session"
)

// Endpoint is a target the operator configured: it hears of the logins
// of its definitions (all when Definitions is empty).
type Endpoint struct {
	URL string
	// Secrets sign each delivery, the current one first; during a
	// rotation the previous one too (both signatures are sent).
	Secrets     []Secret
	Definitions []string
	// IncludeResult puts the holder and credentials (personal data) in
	// verified events.
	IncludeResult bool
}

// SessionTargets is how a website may name a target per login
// (webhook_url at start): only on an allowed host, signed with Secrets.
type SessionTargets struct {
	// AllowedHosts are host names ("hooks.example.com"), with a port to
	// allow only that one ("hooks.example.com:8443"), or "*.example.com"
	// for any host under example.com. Empty: webhook_url is refused.
	AllowedHosts  []string
	Secrets       []Secret
	IncludeResult bool
}

// Targets are where events go, and how.
type Targets struct {
	Endpoints []Endpoint
	Sessions  SessionTargets
	// AllowHTTP permits http:// targets; AllowPrivateAddresses loopback,
	// private and other non-public addresses (both off: https to public
	// addresses only, checked at load and again at every dial).
	AllowHTTP, AllowPrivateAddresses bool
}

// Destination is one target of a completion: each gets an event of its
// own (its own id), with the result or without.
type Destination struct {
	URL           string
	IncludeResult bool
}

// For returns the destinations of s's completion: the endpoints of its
// definition, then its own webhook_url; a URL at most once (an endpoint's
// settings win).
func (t *Targets) For(s session.Session) []Destination {
	var out []Destination
	seen := map[string]bool{}
	for _, e := range t.Endpoints {
		if (len(e.Definitions) == 0 || slices.Contains(e.Definitions, s.DefinitionID)) && !seen[e.URL] {
			seen[e.URL] = true
			out = append(out, Destination{URL: e.URL, IncludeResult: e.IncludeResult})
		}
	}
	if s.WebhookURL != "" && !seen[s.WebhookURL] {
		out = append(out, Destination{URL: s.WebhookURL, IncludeResult: t.Sessions.IncludeResult})
	}
	return out
}

// secrets are the signing secrets for url: its endpoint's, else those of
// session targets if url is still an allowed one (the config may have
// changed since the event was written).
func (t *Targets) secrets(url string) ([]Secret, bool) {
	for _, e := range t.Endpoints {
		if e.URL == url {
			return e.Secrets, true
		}
	}
	if t.CheckSessionURL(url) == nil {
		return t.Sessions.Secrets, true
	}
	return nil, false
}

// CheckSessionURL vets a webhook_url a website sent: a target URL on an
// allowed host. Its error text is meant for the website.
func (t *Targets) CheckSessionURL(raw string) error {
	if len(t.Sessions.AllowedHosts) == 0 {
		return errors.New("webhook_url is not enabled on this verifier")
	}
	if len(raw) > 2048 {
		return errors.New("webhook_url is longer than 2048 bytes")
	}
	if err := CheckTargetURL(raw, t.AllowHTTP, t.AllowPrivateAddresses); err != nil {
		return fmt.Errorf("webhook_url: %w", err)
	}
	u, _ := url.Parse(raw)
	if !hostAllowed(t.Sessions.AllowedHosts, u) {
		return errors.New("webhook_url: the host is not one the operator allows")
	}
	return nil
}

func hostAllowed(allowed []string, u *url.URL) bool {
	host, port := strings.ToLower(u.Hostname()), u.Port()
	for _, a := range allowed {
		a = strings.ToLower(a)
		ah, ap, err := net.SplitHostPort(a)
		if err != nil {
			ah, ap = strings.Trim(a, "[]"), ""
		}
		if ap != "" && ap != port {
			continue
		}
		if suffix, ok := strings.CutPrefix(ah, "*."); ok {
			if strings.HasSuffix(host, "."+suffix) {
				return true
			}
		} else if host == ah {
			return true
		}
	}
	return false
}

// CheckTargetURL is what a target URL must be, known without a lookup:
// absolute https (http when allowed), a host, no user or password in it
// (they would end up in logs) and no fragment; without
// allowPrivateAddresses, not an address literal or a localhost name that
// is not public. Names are checked again, resolved, at every dial.
func CheckTargetURL(raw string, allowHTTP, allowPrivateAddresses bool) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return errors.New("not a URL")
	case u.Scheme != "https" && !(u.Scheme == "http" && allowHTTP):
		if allowHTTP {
			return errors.New("want an http or https URL")
		}
		return errors.New("want an https URL")
	case u.Host == "" || u.Hostname() == "":
		return errors.New("the URL has no host")
	case u.User != nil:
		return errors.New("the URL may not hold a user or password")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return errors.New("the URL may not have a fragment")
	}
	if allowPrivateAddresses {
		return nil
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return errors.New("the host is local (allow_private_addresses is off)")
	}
	if ip, err := netip.ParseAddr(host); err == nil && !safehttp.Public(ip) {
		return errors.New("the host is not a public address (allow_private_addresses is off)")
	}
	return nil
}
