package oidcbridge

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// Options are everything the provider needs; cmd fills them from the
// config file's oidc section (oidcbridge/setup does it for cmd and tests).
type Options struct {
	// Issuer is the issuer URL: https, or http on a loopback host.
	Issuer  string
	Clients []Client
	Scopes  []Scope
	// PairwiseSecret keys pairwise subjects; required when a client is pairwise.
	PairwiseSecret []byte
	// SigningKeys are configured keys (P-256 or Ed25519): the first signs.
	// Empty: keys are generated with Algorithm and kept in Store, a new one
	// every KeyRotation.
	SigningKeys []crypto.Signer
	Algorithm   string
	KeyRotation time.Duration

	CodeLifetime, AccessTokenLifetime, IDTokenLifetime, LoginLifetime time.Duration

	Store    Store
	Sessions Sessions
	Logger   *slog.Logger
	// Now is the clock of auth requests, codes and tokens; nil: time.Now.
	Now func() time.Time
}

// Client is one relying party.
type Client struct {
	ID, Name string
	// SecretHash is the bcrypt hash of its secret; nil: a public client.
	SecretHash             []byte
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
	// Scopes are the credential scopes it may ask for, and VCScope.
	Scopes       []string
	DefaultScope string
	// Pairwise subjects are computed for Sector; else the holder's DID.
	Pairwise bool
	Sector   string
}

// Scope is a credential scope: the definition it triggers and the claims
// mapped from the credentials that definition matched.
type Scope struct {
	Name, Definition, ACR string
	// Claims map a claim name to a JSONPath into each matched credential.
	Claims map[string]string
}

// VCScope asks for the vc claim: issuer and types of each credential.
const VCScope = "vc"

// AMR is what every login is: a verifiable presentation.
var AMR = []string{"vc"}

// Sessions is the part of the verifier the login step uses
// (*verifier.Verifier): the session a browser presents, with its status token.
type Sessions interface {
	Status(ctx context.Context, id, token string) (session.Session, error)
	Now() time.Time
}

func (o *Options) check() error {
	u, err := url.Parse(o.Issuer)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(o.Issuer, "/") {
		return fmt.Errorf("oidc: issuer %q: want an absolute URL without query, fragment or trailing slash", o.Issuer)
	}
	if u.Path == "" || u.Path == "/" {
		// The provider lives under a path of its own, beside the verifier's routes.
		return fmt.Errorf("oidc: issuer %q: want a path such as /oidc", o.Issuer)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())) {
		return fmt.Errorf("oidc: issuer %q: want https (http only on a loopback host)", o.Issuer)
	}
	if o.Store == nil || o.Sessions == nil {
		return errors.New("oidc: a store and the verifier's sessions are required")
	}
	if len(o.Clients) == 0 || len(o.Scopes) == 0 {
		return errors.New("oidc: at least one client and one credential scope are required")
	}
	if o.Algorithm == "" {
		o.Algorithm = "ES256"
	}
	defaults := map[*time.Duration]time.Duration{&o.CodeLifetime: time.Minute, &o.AccessTokenLifetime: 10 * time.Minute,
		&o.IDTokenLifetime: 10 * time.Minute, &o.LoginLifetime: 15 * time.Minute, &o.KeyRotation: 720 * time.Hour}
	for d, v := range defaults {
		if *d <= 0 {
			*d = v
		}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	scopes := map[string]bool{}
	for _, s := range o.Scopes {
		scopes[s.Name] = true
	}
	for _, c := range o.Clients {
		for _, s := range c.Scopes {
			if s != VCScope && !scopes[s] {
				return fmt.Errorf("oidc: client %q: unknown scope %q", c.ID, s)
			}
		}
		if c.Pairwise && (len(o.PairwiseSecret) < 32 || c.Sector == "") {
			return fmt.Errorf("oidc: client %q is pairwise: a secret of 32 bytes or more and a sector are required", c.ID)
		}
	}
	return nil
}
