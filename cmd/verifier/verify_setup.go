package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/loginwithiota/verifier/config"
	"github.com/loginwithiota/verifier/did"
	didjwk "github.com/loginwithiota/verifier/did/jwk"
	didkey "github.com/loginwithiota/verifier/did/key"
	didweb "github.com/loginwithiota/verifier/did/web"
	"github.com/loginwithiota/verifier/internal/safehttp"
	"github.com/loginwithiota/verifier/ldproof/jsonld"
	"github.com/loginwithiota/verifier/metrics"
	"github.com/loginwithiota/verifier/verifier"
)

// didMethods are the DID methods dids.methods may name.
var didMethods = []string{"iota", "jwk", "key", "web"}

// proofSetup builds, from the jsonld, dids, proofs and status sections,
// the DID registry, the proof options and the status options the verifier
// runs with: the same for the service and for `verifier verify`. Relative
// paths are relative to the directory of the config file.
// m, when set, counts the DID cache's hits.
func proofSetup(cfg *config.Config, configPath string, m *metrics.Metrics) (*did.Registry, verifier.ProofOptions, verifier.StatusOptions, error) {
	dir := filepath.Dir(configPath)
	dids, err := didRegistry(cfg.DIDs, dir, m)
	if err != nil {
		return nil, verifier.ProofOptions{}, verifier.StatusOptions{}, err
	}
	ld, err := jsonldProcessor(cfg.JSONLD, dir)
	if err != nil {
		return nil, verifier.ProofOptions{}, verifier.StatusOptions{}, err
	}
	st, err := statusSetup(cfg.Status, dir) // verify_setup_iota.go
	if err != nil {
		return nil, verifier.ProofOptions{}, verifier.StatusOptions{}, err
	}
	return dids, verifier.ProofOptions{JSONLD: ld, AllowMissingPurpose: cfg.Proofs.AllowMissingProofPurpose}, st, nil
}

func didRegistry(c config.DIDs, dir string, m *metrics.Metrics) (*did.Registry, error) {
	var onLookup func(bool)
	if m != nil {
		onLookup = m.DIDCacheLookup("did_web")
	}
	dids := did.NewRegistry()
	for _, m := range c.Methods {
		switch m {
		case "key":
			dids.Register("key", didkey.New())
		case "jwk":
			dids.Register("jwk", didjwk.New())
		case "web":
			web := didweb.New(didweb.Options{Timeout: c.Web.Timeout.Std(), MaxBytes: c.Web.MaxBytes,
				AllowPrivateAddresses: c.Web.AllowPrivateAddresses})
			dids.Register("web", did.NewCache(web, did.CacheOptions{TTL: c.CacheTTL.Std(), MaxEntries: c.CacheSize, OnLookup: onLookup}))
		case "iota":
			r, err := iotaResolver(c.IOTA) // verify_setup_iota.go
			if err != nil {
				return nil, err
			}
			dids.Register("iota", r)
		default:
			return nil, fmt.Errorf("dids.methods: DID method %q is not supported (supported: %v)", m, didMethods)
		}
	}
	for i, p := range c.Pinned {
		var docs []*did.Document
		if p.File != "" {
			var err error
			if docs, err = did.ReadDocuments(resolvePath(dir, p.File)); err != nil {
				return nil, fmt.Errorf("dids.pinned[%d]: %w", i, err)
			}
		} else {
			doc, err := did.DocumentFromMap(p.Document)
			if err != nil {
				return nil, fmt.Errorf("dids.pinned[%d]: %w", i, err)
			}
			docs = []*did.Document{doc}
		}
		for _, d := range docs {
			dids.PinWith(d, did.PinOptions{AnyRelationship: p.AnyRelationship})
		}
	}
	if c.PinnedDir != "" {
		docs, err := did.ReadDocuments(resolvePath(dir, c.PinnedDir))
		if err != nil {
			return nil, fmt.Errorf("dids.pinned_dir: %w", err)
		}
		for _, d := range docs {
			dids.Pin(d)
		}
	}
	return dids, nil
}

func jsonldProcessor(c config.JSONLD, dir string) (*jsonld.Processor, error) {
	if len(c.Contexts) == 0 && len(c.AllowRemote) == 0 && c.MaxNodes == 0 && c.MaxValues == 0 && c.MaxBlankNodes == 0 && c.MaxWork == 0 {
		return jsonld.Default(), nil
	}
	local := make(map[string][]byte, len(c.Contexts))
	urls := make([]string, 0, len(c.Contexts))
	for u := range c.Contexts {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	for _, u := range urls {
		raw, err := os.ReadFile(resolvePath(dir, c.Contexts[u]))
		if err != nil {
			return nil, fmt.Errorf("jsonld.contexts[%q]: %w", u, err)
		}
		local[u] = raw
	}
	// Remote contexts through the guarded client: public addresses only
	// unless allowed, no redirect (it would leave the allow-list).
	client := safehttp.New(safehttp.Options{Timeout: c.FetchTimeout.Std(), MaxBytes: c.MaxContextBytes, AllowHTTP: true,
		AllowPrivateAddresses: c.AllowPrivateAddresses}).HTTPClient()
	p, err := jsonld.New(jsonld.Config{Contexts: local, AllowRemote: c.AllowRemote, Client: client,
		Timeout: c.FetchTimeout.Std(), MaxBytes: c.MaxContextBytes, CacheTTL: c.CacheTTL.Std(),
		MaxNodes: c.MaxNodes, MaxValues: c.MaxValues, MaxBlankNodes: c.MaxBlankNodes, MaxWork: c.MaxWork})
	if err != nil {
		return nil, fmt.Errorf("jsonld: %w", err)
	}
	return p, nil
}

func resolvePath(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
