package verifier

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/status"
)

// Config is everything the core needs; cmd fills it from the config file.
type Config struct {
	// PublicURL is the base URL wallets and browsers reach us at (no trailing slash).
	PublicURL string
	// Lifetime is how long a session stays pending; Retention how long it is
	// kept after it expires.
	Lifetime, Retention time.Duration
	// CrossDeviceMode is ModePost or ModeDirectPost; SameDeviceMode
	// ModeFormPost (the profile's) or ModeDirectPost (OID4VP 1.0, with a
	// one-time response_code; see Redeem).
	CrossDeviceMode, SameDeviceMode string
	// Scheme starts cross-device request URIs ("openid4vp://").
	Scheme string
	// SameDeviceWalletURL, when set, replaces Scheme for same-device links.
	SameDeviceWalletURL string
	// DefinitionByValue inlines the definition instead of presentation_definition_uri.
	DefinitionByValue bool
	// Protocols are the request dialects of definitions that list none,
	// the default first; empty: oid4vp.DefaultProtocols (dialect.go).
	Protocols []string
	// RequestByReference sends the requests of dialects that allow it
	// (draft-20) as client_id + request_uri, the parameters in a request
	// object served at PathRequests.
	RequestByReference bool
	// ReturnURL is where a same-device login sends the browser at its end;
	// empty: our own result page.
	ReturnURL string
	// ClockSkew is tolerated on validity periods.
	ClockSkew time.Duration
	// Proofs is the proof policy and JSON-LD processing (report_policy.go).
	Proofs ProofOptions
	// Status configures credential status checks (statuslist.go).
	Status StatusOptions
	// Limits bound the work one wallet answer can cause (limits.go).
	Limits Limits
	// V1 configures the OID4VP 1.0 dialects (v1.go).
	V1 V1Options
	// SDJWT configures SD-JWT VC verification (format_sdjwt.go).
	SDJWT SDJWTOptions
	// Events say where logins' ends are announced (events.go).
	Events EventOptions

	Definitions []Definition
	Now         func() time.Time
	Logger      *slog.Logger
	// Observer is told of logins and stage timings (observe.go); nil: nobody.
	Observer Observer
}

// Paths of the wallet-facing endpoints, relative to PublicURL. web routes them.
const (
	PathResponse    = "/oid4vp/response"
	PathDefinitions = "/oid4vp/definitions/" // + definition id
	PathResult      = "/login/result"
)

// Verifier is the relying party. It is safe for concurrent use.
type Verifier struct {
	cfg    Config
	defs   map[string]*compiled
	store  session.Store
	dids   did.Resolver
	status *status.Checker
	log    *slog.Logger
	now    func() time.Time
	admit  *admission
	// identity is how 1.0 requests name the verifier and sign (v1.go).
	identity *RequestIdentity
	// sdKeys are the SD-JWT issuer key sources shared by every answer
	// (x5c anchors, the metadata cache; format_sdjwt.go).
	sdKeys sdjwtSources

	// notifier is the store's, when it has one: completions are published
	// so event streams on every instance learn of them.
	notifier session.Notifier
}

// New checks cfg and builds a Verifier on store, resolving DIDs with dids.
func New(cfg Config, store session.Store, dids did.Resolver) (*Verifier, error) {
	if store == nil || dids == nil {
		return nil, errors.New("verifier: a session store and a DID resolver are required")
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if cfg.PublicURL == "" {
		return nil, errors.New("verifier: PublicURL is required")
	}
	if cfg.Lifetime <= 0 {
		cfg.Lifetime = 5 * time.Minute
	}
	if cfg.Retention < 0 {
		cfg.Retention = 0
	}
	if cfg.CrossDeviceMode == "" {
		cfg.CrossDeviceMode = ModePost
	}
	if cfg.SameDeviceMode == "" {
		cfg.SameDeviceMode = ModeFormPost
	}
	if cfg.Scheme == "" {
		cfg.Scheme = "openid4vp://"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Limits = cfg.Limits.withDefaults()
	identity, err := cfg.V1.identity(cfg.PublicURL + PathResponse)
	if err != nil {
		return nil, fmt.Errorf("verifier: oid4vp 1.0: %w", err)
	}
	defs := make(map[string]*compiled, len(cfg.Definitions))
	for _, d := range cfg.Definitions {
		if d.PEX == nil && d.DCQL == nil {
			return nil, errors.New("verifier: a definition with neither a presentation definition nor a DCQL query")
		}
		if d.ID == "" && d.PEX != nil {
			d.ID = d.PEX.ID()
		}
		if _, dup := defs[d.ID]; dup {
			return nil, fmt.Errorf("verifier: duplicate definition %q", d.ID)
		}
		c, err := compile(d, cfg.SDJWT.StrictDisclosure)
		if err != nil {
			return nil, err
		}
		if c.dialects, err = dialectsOf(d, cfg.Protocols, identity.ClientID.Signed()); err != nil {
			return nil, err
		}
		defs[d.ID] = c
	}
	notifier, _ := store.(session.Notifier)
	v := &Verifier{
		cfg:   cfg,
		defs:  defs,
		store: store,
		dids:  dids,
		log:   cfg.Logger,
		now:   cfg.Now,
		admit: newAdmission(cfg.Limits),

		identity: identity,
		notifier: notifier,
	}
	v.sdKeys = v.newSDJWTSources(cfg.SDJWT)
	v.status = v.newStatusChecker(cfg.Status)
	return v, nil
}

// ClientID is how we name ourselves to wallets: the profile's examples use
// the response URL, which also makes the VP proof's domain checkable.
func (v *Verifier) ClientID() string { return v.cfg.PublicURL + PathResponse }

// ResponseURL is where wallets post their answers.
func (v *Verifier) ResponseURL() string { return v.cfg.PublicURL + PathResponse }

// DefinitionJSON returns the definition a wallet fetches by
// presentation_definition_uri.
func (v *Verifier) DefinitionJSON(id string) ([]byte, bool) {
	d, ok := v.defs[id]
	if !ok || d.PEX == nil {
		return nil, false
	}
	return d.PEX.JSON(), true
}

// Ready reports whether the session store answers.
func (v *Verifier) Ready(ctx context.Context) error { return v.store.Ping(ctx) }

// Now is the verifier's clock.
func (v *Verifier) Now() time.Time { return v.now() }

// storeError maps a store fault to what a caller may see; an error that
// an Update function refused the change with passes through as it is.
func storeError(err error) *oauth.Error {
	if e := oauth.As(err); e != nil {
		return e
	}
	switch {
	case errors.Is(err, session.ErrNotFound):
		return notFound("no such session")
	case errors.Is(err, session.ErrUnavailable):
		return unavailable(err)
	default:
		return serverError(err)
	}
}
