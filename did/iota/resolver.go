package iota

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/internal/ttlcache"
)

// stardustPackage is the system package of migrated Stardust outputs
// (iota-types STARDUST_PACKAGE_ID, 0x107a); its alias::Alias objects hold
// unmigrated DID documents in state_metadata.
const stardustPackage = "0x000000000000000000000000000000000000000000000000000000000000107a"

// Migration registries of the public networks (identity.rs
// identity_iota_core/src/rebased/migration/registry.rs).
var wellKnownRegistries = map[string]string{
	ChainMainnet: "0xa884c72da9971da8ec32efade0a9b05faa114770ba85f10925d0edbc3fa3edc3",
	ChainTestnet: "0xaacb529c289aec9de2a474faaa4ef68b04632bb6a5d08372ca5b60e3df659f59",
}

// Network is one IOTA network the resolver may ask.
type Network struct {
	// Name is the network segment DIDs of this network carry: "iota"
	// (mainnet, also the DIDs without a network), "testnet", "devnet", or
	// a custom name (then ChainID is required). DIDs may also name the
	// network by its chain identifier.
	Name string
	// ChainID is the chain identifier the endpoint must report
	// (iota_getChainIdentifier). Defaults for the well-known names.
	ChainID string
	// Endpoint is the JSON-RPC URL (e.g. https://api.testnet.iota.cafe).
	Endpoint string
	// RPC, when set, is used instead of an HTTP client for Endpoint.
	RPC RPC
	// MigrationRegistry is the object id of the network's Stardust
	// migration registry; defaults for mainnet and testnet. Empty: migrated
	// aliases are not looked up.
	MigrationRegistry string
	// IdentityPackages, when not empty, restricts the identity objects
	// accepted to those whose type comes from one of these package ids.
	// Empty accepts any package's identity::Identity, as identity.rs does.
	IdentityPackages []string
}

// PublicNetworks returns the public IOTA networks with the IOTA
// Foundation's public JSON-RPC endpoints: the defaults a deployment that
// enables did:iota starts from.
func PublicNetworks() []Network {
	return []Network{
		{Name: "iota", Endpoint: "https://api.mainnet.iota.cafe"},
		{Name: "testnet", Endpoint: "https://api.testnet.iota.cafe"},
		{Name: "devnet", Endpoint: "https://api.devnet.iota.cafe"},
	}
}

// Options configure a Resolver. The zero value resolves nothing: every DID
// fails with ErrNetworkNotConfigured and no network is contacted.
type Options struct {
	Networks []Network
	// HTTPClient carries the calls to Endpoints (nil: http.DefaultClient).
	HTTPClient *http.Client
	// Timeout bounds each JSON-RPC call (0: DefaultTimeout).
	Timeout time.Duration
	// MaxResponseBytes bounds each reply (0: DefaultMaxResponseBytes).
	MaxResponseBytes int64
	// CacheTTL keeps resolved documents that long (0: no cache). Failures
	// are not cached.
	CacheTTL time.Duration
	// Now is the clock of the cache (nil: time.Now).
	Now func() time.Time
}

// Resolver resolves did:iota DIDs. It is safe for concurrent use.
type Resolver struct {
	byName  map[string]*network
	byChain map[string]*network
	cache   *ttlcache.Cache[*did.Document] // nil: no cache
}

// maxCacheEntries bounds the cache (resolution is cheap to redo, and the
// cache is only there to spare the node).
const maxCacheEntries = 4096

var _ did.Resolver = (*Resolver)(nil)

type network struct {
	Network
	rpc      RPC
	registry string
	packages map[string]bool
	mu       sync.Mutex
	checked  bool
}

// New validates opts and returns a resolver. It contacts nothing.
func New(opts Options) (*Resolver, error) {
	r := &Resolver{byName: map[string]*network{}, byChain: map[string]*network{}}
	for i, nc := range opts.Networks {
		n := &network{Network: nc, registry: nc.MigrationRegistry, rpc: nc.RPC}
		if n.ChainID == "" {
			n.ChainID = wellKnown[n.Name]
		}
		if n.ChainID == "" || checkChainID(n.ChainID) != nil {
			return nil, fmt.Errorf("did:iota network %d (%q): chain id %q must be 8 lowercase hex digits (required for custom networks)", i, n.Name, n.ChainID)
		}
		if n.Name != "" {
			if err := checkNetwork(n.Name); err != nil {
				return nil, fmt.Errorf("did:iota network %d: %v", i, err)
			}
		}
		if n.rpc == nil {
			if n.Endpoint == "" {
				return nil, fmt.Errorf("did:iota network %q: no endpoint", n.Name)
			}
			n.rpc = NewHTTPClient(n.Endpoint, opts.HTTPClient, opts.Timeout, opts.MaxResponseBytes)
		}
		if n.registry == "" {
			n.registry = wellKnownRegistries[n.ChainID]
		}
		if n.registry != "" {
			reg, ok := normalizeObjectID(n.registry)
			if !ok {
				return nil, fmt.Errorf("did:iota network %q: malformed migration registry id %q", n.Name, n.registry)
			}
			n.registry = reg
		}
		if len(n.IdentityPackages) > 0 {
			n.packages = map[string]bool{}
			for _, p := range n.IdentityPackages {
				id, ok := normalizeObjectID(p)
				if !ok {
					return nil, fmt.Errorf("did:iota network %q: malformed package id %q", n.Name, p)
				}
				n.packages[id] = true
			}
		}
		if _, dup := r.byChain[n.ChainID]; dup {
			return nil, fmt.Errorf("did:iota: two networks with chain id %s", n.ChainID)
		}
		r.byChain[n.ChainID] = n
		if n.Name != "" {
			r.byName[n.Name] = n
		}
	}
	if opts.CacheTTL > 0 {
		r.cache = ttlcache.New[*did.Document](opts.CacheTTL, maxCacheEntries, opts.Now)
	}
	return r, nil
}

func checkChainID(c string) error {
	if len(c) != 8 {
		return errors.New("want 8 characters")
	}
	for i := 0; i < len(c); i++ {
		if ch := c[i]; !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f') {
			return errors.New("want lowercase hex")
		}
	}
	return nil
}

// network finds the configured network of d: by name, by well-known name
// or omitted network, or by chain identifier.
func (r *Resolver) network(d DID) (*network, error) {
	if n, ok := r.byName[d.Network]; ok {
		return n, nil
	}
	if c, ok := d.WellKnownChain(); ok {
		if n, ok := r.byChain[c]; ok {
			return n, nil
		}
	} else if n, ok := r.byChain[d.Network]; ok {
		return n, nil
	}
	name := d.Network
	if name == "" {
		name = "iota (mainnet)"
	}
	return nil, fmt.Errorf("%w: %q", ErrNetworkNotConfigured, name)
}

// Resolve resolves a did:iota DID (a DID URL's fragment, path and query
// are ignored). The document's id is the DID as given. Errors wrap the
// sentinels of this package and, where they apply, did.ErrInvalidDID,
// did.ErrInvalidDocument and did.ErrNotFound.
func (r *Resolver) Resolve(ctx context.Context, didURL string) (*did.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	id, _ := did.Split(didURL)
	d, err := Parse(id)
	if err != nil {
		return nil, err
	}
	n, err := r.network(d)
	if err != nil {
		return nil, err
	}
	if doc, _ := r.cache.Get(id); doc != nil {
		return doc, nil
	}
	if err := n.checkChain(ctx); err != nil {
		return nil, resolutionFailed(err)
	}
	doc, err := n.resolve(ctx, d, id)
	if err != nil {
		return nil, resolutionFailed(err)
	}
	r.cache.Put(id, doc, 0)
	return doc, nil
}

// resolutionFailed marks transport and node failures with
// did.ErrResolutionFailed too, as every networked method does: they say
// nothing about the DID.
func resolutionFailed(err error) error {
	if errors.Is(err, ErrRPC) && !errors.Is(err, did.ErrResolutionFailed) {
		return fmt.Errorf("%w: %w", did.ErrResolutionFailed, err)
	}
	return err
}

// checkChain asks the endpoint for its chain identifier once; a mismatch
// is re-checked on the next call (an operator may fix the endpoint), a
// match is remembered.
func (n *network) checkChain(ctx context.Context) error {
	n.mu.Lock()
	checked := n.checked
	n.mu.Unlock()
	if checked {
		return nil
	}
	var chain string
	if err := n.rpc.Call(ctx, "iota_getChainIdentifier", nil, &chain); err != nil {
		return fmt.Errorf("did:iota network %q: %w", n.Name, err)
	}
	if chain != n.ChainID {
		return fmt.Errorf("%w: the endpoint for network %q reports chain %q, want %s", ErrNetworkMismatch, n.Name, clip(chain), n.ChainID)
	}
	n.mu.Lock()
	n.checked = true
	n.mu.Unlock()
	return nil
}

// resolve follows identity.rs's IdentityClientReadOnly::get_identity: the
// object is an Identity, an unmigrated Stardust Alias, or gone — then the
// migration registry may know the identity it became.
func (n *network) resolve(ctx context.Context, d DID, id string) (*did.Document, error) {
	obj, err := n.getObject(ctx, d.ObjectID)
	var missing errMissing
	switch {
	case errors.As(err, &missing):
		identityID, found, err := n.lookupMigrated(ctx, d.ObjectID)
		if err != nil {
			return nil, err
		}
		if found {
			return n.resolveMigrated(ctx, d, id, identityID)
		}
		if missing.deleted {
			return nil, fmt.Errorf("%w: object deleted", ErrDeleted)
		}
		return nil, fmt.Errorf("%w: no such object on chain %s", did.ErrNotFound, n.ChainID)
	case err != nil:
		return nil, err
	case obj.Type.is("identity", "Identity"):
		if n.packages != nil && !n.packages[obj.Type.Address] {
			return nil, fmt.Errorf("%w: an identity of package %s, not an allowed one", ErrWrongObjectType, obj.Type.Address)
		}
		var aka []string
		ident, err := parseIdentity(obj.Fields)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", did.ErrInvalidDocument, err)
		}
		if legacy, ok := normalizeObjectID(ident.LegacyID); ok {
			aka = append(aka, DID{Network: d.Network, ObjectID: legacy}.String())
		}
		return identityDocument(ident, id, aka)
	case obj.Type.is("alias", "Alias") && obj.Type.Address == stardustPackage:
		meta, err := parseAliasMetadata(obj.Fields)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", did.ErrInvalidDocument, err)
		}
		if len(meta) == 0 {
			return nil, fmt.Errorf("%w: the Stardust alias holds no document", ErrDeactivated)
		}
		return documentFromPacked(meta, id, nil)
	}
	return nil, fmt.Errorf("%w: the object is a %s", ErrWrongObjectType, clip(obj.Type.Raw))
}

// resolveMigrated resolves a Stardust alias DID through the identity it
// was migrated to. The document is the alias DID's (did:0:0 stands for the
// DID as queried, which is what the issuer signed with before migration),
// with the identity's DID added to alsoKnownAs.
func (n *network) resolveMigrated(ctx context.Context, d DID, id, identityID string) (*did.Document, error) {
	obj, err := n.getObject(ctx, identityID)
	if errors.As(err, new(errMissing)) {
		return nil, fmt.Errorf("%w: migrated to %s, which is gone", ErrDeleted, identityID)
	}
	if err != nil {
		return nil, err
	}
	if !obj.Type.is("identity", "Identity") || (n.packages != nil && !n.packages[obj.Type.Address]) {
		return nil, fmt.Errorf("%w: the migration registry points to a %s", ErrWrongObjectType, clip(obj.Type.Raw))
	}
	ident, err := parseIdentity(obj.Fields)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", did.ErrInvalidDocument, err)
	}
	return identityDocument(ident, id, []string{DID{Network: d.Network, ObjectID: identityID}.String()})
}

func identityDocument(ident *identityObject, id string, aka []string) (*did.Document, error) {
	switch {
	case ident.Deleted:
		return nil, fmt.Errorf("%w: identity deleted", ErrDeleted)
	case ident.DeletedDID:
		return nil, fmt.Errorf("%w: DID document deleted (deleted_did)", ErrDeleted)
	case len(ident.Doc) == 0:
		return nil, fmt.Errorf("%w: the identity holds no document", ErrDeactivated)
	}
	return documentFromPacked(ident.Doc, id, aka)
}

// getObject fetches an object with its content and checks that the node
// answered for the object asked for.
func (n *network) getObject(ctx context.Context, objectID string) (*moveObject, error) {
	var raw json.RawMessage
	opts := map[string]any{"showContent": true, "showType": true}
	if err := n.rpc.Call(ctx, "iota_getObject", []any{objectID, opts}, &raw); err != nil {
		return nil, err
	}
	obj, err := parseObjectResponse(raw)
	if err != nil {
		return nil, err
	}
	if got, ok := normalizeObjectID(obj.ID); !ok || got != objectID {
		return nil, fmt.Errorf("%w: asked for object %s, the node answered with %q", ErrRPC, objectID, clip(obj.ID))
	}
	return obj, nil
}

// lookupMigrated asks the migration registry for the identity a Stardust
// alias was migrated to (identity.rs migration/registry.rs lookup).
func (n *network) lookupMigrated(ctx context.Context, aliasID string) (string, bool, error) {
	if n.registry == "" {
		return "", false, nil
	}
	var raw json.RawMessage
	name := map[string]any{"type": "0x2::object::ID", "value": aliasID}
	if err := n.rpc.Call(ctx, "iotax_getDynamicFieldObject", []any{n.registry, name}, &raw); err != nil {
		return "", false, err
	}
	obj, err := parseObjectResponse(raw)
	if errors.As(err, new(errMissing)) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	identityID, err := parseRegistryEntry(obj)
	if err != nil {
		return "", false, fmt.Errorf("migration registry entry for %s: %w", aliasID, err)
	}
	return identityID, true, nil
}
