package verifier

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/internal/jsonx"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/ldproof"
	"github.com/loginwithiota/verifier/sdjwt"
	"github.com/loginwithiota/verifier/status"
)

// StatusOptions configure credential status checks (Config.Status).
// RevocationBitmap2022 is always read, from the issuer's DID document;
// status list credentials only with a Fetcher.
type StatusOptions struct {
	// Fetcher fetches StatusList2021 and BitstringStatusList credentials
	// (status.HTTPFetcher: HTTPS, size limit, timeout). Nil: no list is
	// fetched, and those statuses are unknown.
	Fetcher status.Fetcher
	// FailOpen accepts a credential whose status cannot be established
	// (unreachable list, broken list signature, unsupported method). Off:
	// such a credential fails (credential_status_unknown).
	FailOpen bool
	// AllowForeignListIssuer accepts status lists issued by another DID
	// than the credential's issuer.
	AllowForeignListIssuer bool
	// CacheTTL keeps verified status lists (0: status.DefaultCacheTTL).
	CacheTTL time.Duration
	// MaxListLen bounds a decompressed list or bitmap (0: the default).
	MaxListLen int64
}

// newStatusChecker builds the status checker on the verifier's own DID
// resolution and proof checks.
func (v *Verifier) newStatusChecker(o StatusOptions) *status.Checker {
	return status.New(status.Options{
		Resolver:               v.dids,
		Fetcher:                o.Fetcher,
		VerifyList:             v.verifyStatusList,
		VerifyTokenList:        v.verifyTokenList,
		FailOpen:               o.FailOpen,
		AllowForeignListIssuer: o.AllowForeignListIssuer,
		CacheTTL:               o.CacheTTL,
		MaxListLen:             o.MaxListLen,
		Now:                    v.now,
	})
}

// verifyTokenList checks a fetched Status List Token (IETF Token Status
// List, statuslist+jwt) by the key discovery of the SD-JWT VCs it serves:
// its issuer signs it with the keys it signs credentials with.
func (v *Verifier) verifyTokenList(ctx context.Context, raw []byte, _ string) (map[string]any, error) {
	claims, _, err := sdjwt.VerifyJWT(ctx, string(raw), "statuslist+jwt", sdjwt.Options{Keys: v.sdKeys.keySources(didKeys{v.dids})})
	return claims, err
}

// verifyStatusList checks a fetched status list credential's own proof,
// as the pipeline checks a credential's: a JWT (vc+jwt or jwt_vc_json)
// with jwtvc, a JSON-LD credential with its linked-data proofs, every one
// made by a key of its issuer under assertionMethod. It returns the
// credential as JSON (issuer filled in) for the status package to read.
func (v *Verifier) verifyStatusList(ctx context.Context, raw []byte, contentType string) (map[string]any, error) {
	raw = bytes.TrimSpace(raw)
	if looksLikeJWT(string(raw)) || strings.Contains(contentType, "jwt") {
		c, err := jwtvc.VerifyCredential(ctx, string(raw), jwtKeys{didKeys{v.dids}}, jwtvc.Options{Now: v.now})
		if err != nil {
			return nil, err
		}
		return c.VC, nil
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil || doc == nil {
		return nil, errors.New("the status list is neither a JWT nor a JSON credential")
	}
	results, err := ldproof.Verify(ctx, doc, didKeys{v.dids}, ldproof.Options{
		Purpose:             purposeAssertionMethod,
		AllowMissingPurpose: v.cfg.Proofs.AllowMissingPurpose,
		JSONLD:              v.cfg.Proofs.JSONLD,
		Now:                 v.now(),
	})
	if err != nil {
		return nil, err
	}
	issuer := jsonx.ID(doc["issuer"])
	for _, r := range results {
		if r.Controller != issuer {
			return nil, fmt.Errorf("status list proof %d is signed by %s, not by its issuer %q", r.Index, r.Controller, truncate(issuer))
		}
	}
	return doc, nil
}
