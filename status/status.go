package status

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/internal/jsonx"
	"github.com/loginwithiota/verifier/internal/ttlcache"
)

// State is the status of a credential.
type State string

const (
	Active    State = "active"
	Revoked   State = "revoked"
	Suspended State = "suspended"
	// Unknown: the status could not be established (Result.Err says why).
	Unknown State = "unknown"
)

// severity orders states: the worst entry decides.
var severity = map[State]int{Active: 0, Unknown: 1, Suspended: 2, Revoked: 3}

// Status method types (credentialStatus.type).
const (
	TypeRevocationBitmap2022     = "RevocationBitmap2022"
	TypeStatusList2021Entry      = "StatusList2021Entry"
	TypeBitstringStatusListEntry = "BitstringStatusListEntry"
)

// Status purposes.
const (
	PurposeRevocation = "revocation"
	PurposeSuspension = "suspension"
)

// Errors returned by Check, wrapped with detail.
var (
	ErrRevoked   = errors.New("credential revoked")
	ErrSuspended = errors.New("credential suspended")
	// ErrUnknown wraps why the status could not be established.
	ErrUnknown = errors.New("credential status unknown")
	// ErrUnsupported: a status type, purpose or size this package does not
	// handle (it is also ErrUnknown).
	ErrUnsupported = errors.New("unsupported credential status")
	// ErrMalformed: a credentialStatus entry, service, bitmap, status list or
	// status list credential that is not what its type requires.
	ErrMalformed = errors.New("malformed credential status")
)

// Result is the status of one credentialStatus entry.
type Result struct {
	Type    string
	ID      string
	Purpose string
	Index   uint64
	State   State
	Err     error // why State is Unknown
}

// Report is the status of a credential: the worst of its entries (Active
// when it has none).
type Report struct {
	State   State
	Results []Result
}

// ListVerifier verifies a status list credential as fetched (a JWT, or a
// JSON credential with an embedded proof: contentType tells) and returns
// it decoded as a credential JSON object, issuer filled in. The verifier
// wires jwtvc or ldproof here.
type ListVerifier func(ctx context.Context, raw []byte, contentType string) (map[string]any, error)

// Defaults of Options.
const (
	DefaultCacheTTL   = 5 * time.Minute
	DefaultMaxListLen = 16 << 20 // bytes of a decompressed bitstring or bitmap
)

// Options configure a Checker. Leaving Resolver, Fetcher or VerifyList nil
// makes the statuses that need them Unknown.
type Options struct {
	// Resolver resolves issuers' DID documents (RevocationBitmap2022).
	Resolver did.Resolver
	// Fetcher fetches status list credentials.
	Fetcher Fetcher
	// VerifyList checks a status list credential's proof.
	VerifyList ListVerifier
	// VerifyTokenList checks a Token Status List's signature
	// (CheckTokenStatus).
	VerifyTokenList TokenListVerifier
	// FailOpen lets credentials whose status is Unknown through (Check
	// returns no error for them). Default: fail closed.
	FailOpen bool
	// AllowForeignListIssuer accepts status lists issued by someone else
	// than the credential's issuer. Default: the same issuer is required, so
	// whoever controls the list's URL cannot vouch for the credentials.
	AllowForeignListIssuer bool
	// CacheTTL keeps verified status lists (0: DefaultCacheTTL; negative:
	// no cache).
	CacheTTL time.Duration
	// MaxListLen bounds a decompressed list or bitmap (0: DefaultMaxListLen).
	MaxListLen int64
	// Now is the clock for list validity and the cache (nil: time.Now).
	Now func() time.Time
}

// Checker checks credential status. It is safe for concurrent use.
type Checker struct {
	opts  Options
	lists *ttlcache.Cache[*list] // nil: no cache
}

// maxCachedLists bounds the list cache.
const maxCachedLists = 256

// New returns a Checker.
func New(opts Options) *Checker {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxListLen <= 0 {
		opts.MaxListLen = DefaultMaxListLen
	}
	c := &Checker{opts: opts}
	switch {
	case opts.CacheTTL == 0:
		c.lists = ttlcache.New[*list](DefaultCacheTTL, maxCachedLists, opts.Now)
	case opts.CacheTTL > 0:
		c.lists = ttlcache.New[*list](opts.CacheTTL, maxCachedLists, opts.Now)
	}
	return c
}

// Check checks every credentialStatus entry of credential (a credential
// JSON object; for a JWT credential the decoded vc with its issuer, as
// jwtvc.Credential.VC gives it). The error is nil when the credential may
// be accepted: every entry Active (or Unknown with FailOpen); otherwise it
// wraps ErrRevoked, ErrSuspended or ErrUnknown.
func (c *Checker) Check(ctx context.Context, credential map[string]any) (Report, error) {
	return c.CheckWith(ctx, credential, c.opts.Resolver)
}

// CheckWith is Check resolving DID documents with dids instead of
// Options.Resolver: a caller that resolves each DID once per verification
// hands in its own memo.
func (c *Checker) CheckWith(ctx context.Context, credential map[string]any, dids did.Resolver) (Report, error) {
	entries, err := statusEntries(credential["credentialStatus"])
	if err != nil {
		r := Result{State: Unknown, Err: err}
		return c.report([]Result{r})
	}
	issuer := jsonx.ID(credential["issuer"])
	results := make([]Result, 0, len(entries))
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return Report{State: Unknown}, fmt.Errorf("%w: %w", ErrUnknown, err)
		}
		results = append(results, c.checkEntry(ctx, e, issuer, dids))
	}
	return c.report(results)
}

func (c *Checker) checkEntry(ctx context.Context, e map[string]any, issuer string, dids did.Resolver) Result {
	typ, _ := e["type"].(string)
	id, _ := e["id"].(string)
	r := Result{Type: typ, ID: id}
	switch typ {
	case TypeRevocationBitmap2022:
		c.checkBitmap(ctx, e, issuer, dids, &r)
	case TypeStatusList2021Entry, TypeBitstringStatusListEntry:
		c.checkList(ctx, e, issuer, &r)
	default:
		r.State, r.Err = Unknown, fmt.Errorf("%w: type %q", ErrUnsupported, clip(typ))
	}
	if r.Err != nil {
		r.State = Unknown
	}
	return r
}

func (c *Checker) report(results []Result) (Report, error) {
	rep := Report{State: Active, Results: results}
	var cause error
	for _, r := range results {
		if severity[r.State] > severity[rep.State] {
			rep.State = r.State
		}
		if r.State == Unknown && cause == nil {
			cause = r.Err
		}
	}
	switch rep.State {
	case Revoked:
		return rep, fmt.Errorf("%w (%s)", ErrRevoked, describe(results, Revoked))
	case Suspended:
		return rep, fmt.Errorf("%w (%s)", ErrSuspended, describe(results, Suspended))
	case Unknown:
		if c.opts.FailOpen {
			return rep, nil
		}
		return rep, fmt.Errorf("%w: %w", ErrUnknown, cause)
	}
	return rep, nil
}

func describe(results []Result, s State) string {
	for _, r := range results {
		if r.State == s {
			return fmt.Sprintf("%s index %d of %s", r.Type, r.Index, clip(r.ID))
		}
	}
	return ""
}

// statusEntries reads credentialStatus: absent, one object, or an array.
func statusEntries(v any) ([]map[string]any, error) {
	entries, bad, ok := jsonx.List[map[string]any](v)
	switch {
	case ok:
		return entries, nil
	case bad >= 0:
		return nil, fmt.Errorf("%w: credentialStatus[%d] is not an object", ErrMalformed, bad)
	}
	return nil, fmt.Errorf("%w: credentialStatus is neither an object nor an array", ErrMalformed)
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
