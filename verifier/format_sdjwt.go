package verifier

import (
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/loginwithiota/verifier/did"
	didjwk "github.com/loginwithiota/verifier/did/jwk"
	"github.com/loginwithiota/verifier/internal/jsonx"
	"github.com/loginwithiota/verifier/internal/safehttp"
	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/sdjwt"
)

// SDJWTOptions configure SD-JWT VC verification (Config.SDJWT). An
// issuer's key is found by the discovery method its token calls for,
// each permitted only when configured.
type SDJWTOptions struct {
	// X5CRoots are the trust anchors of x5c chains; nil: x5c refused.
	X5CRoots *x509.CertPool
	// DIDIssuers permits a kid (or iss) that is a DID, resolved with the
	// verifier's DID registry (assertionMethod).
	DIDIssuers bool
	// Metadata fetches https issuers' JWT VC Issuer Metadata
	// (NewMetadataFetcher); nil: https issuers refused.
	Metadata sdjwt.Fetcher
	// MetadataCacheTTL keeps fetched issuer key sets (0: 5 minutes).
	MetadataCacheTTL time.Duration
	// KBMaxAge and KBMaxFuture bound a KB-JWT's iat (0: 5m and 1m).
	KBMaxAge, KBMaxFuture time.Duration
	// StrictDisclosure refuses disclosures the DCQL query did not ask for.
	StrictDisclosure bool
	// Limits bound one SD-JWT (0: sdjwt's defaults).
	Limits sdjwt.Limits
}

// sdjwtSources are the key sources every answer shares: the x5c anchors
// and the metadata cache; DID keys are resolved per answer.
type sdjwtSources struct {
	x5c        *sdjwt.X5CKeys
	metadata   *sdjwt.MetadataKeys
	didIssuers bool
}

func (v *Verifier) newSDJWTSources(o SDJWTOptions) sdjwtSources {
	s := sdjwtSources{didIssuers: o.DIDIssuers}
	if o.X5CRoots != nil {
		s.x5c = &sdjwt.X5CKeys{Roots: o.X5CRoots, Now: v.now}
	}
	if o.Metadata != nil {
		s.metadata = &sdjwt.MetadataKeys{Fetcher: o.Metadata, CacheTTL: o.MetadataCacheTTL, Now: v.now}
	}
	return s
}

// keySources are the issuer key sources of one verification, DID keys
// through its own resolution (each DID once).
func (s sdjwtSources) keySources(keys didKeys) sdjwt.KeySources {
	ks := sdjwt.KeySources{X5C: s.x5c, Metadata: s.metadata}
	if s.didIssuers {
		ks.DID = &sdjwt.DIDIssuerKeys{DIDs: sdDIDKeys{keys}}
	}
	return ks
}

// sdDIDKeys is sdjwt's DID key lookup over the verifier's (a DID URL
// listed for the purpose in its DID's document).
type sdDIDKeys struct{ didKeys }

func (k sdDIDKeys) DIDKey(ctx context.Context, didURL string, purpose sdjwt.Purpose) (crypto.PublicKey, error) {
	r, err := k.resolve(ctx, didURL, string(purpose))
	if err != nil {
		return nil, err
	}
	return r.pub, nil
}

// sdjwtOptions are sdjwt's options under params p: the issuer's key by
// the configured sources, the KB-JWT required or not (the credential
// query's require_cryptographic_holder_binding), its nonce and aud the
// request's nonce and full client identifier, its iat in the window.
// plain verifies an enveloped vc+sd-jwt (no SD-JWT VC claim rules).
func (v *Verifier) sdjwtOptions(p checkParams, requireKB, plain bool) sdjwt.Options {
	skew := v.cfg.ClockSkew
	if skew == 0 {
		skew = -1 // sdjwt reads 0 as its default; ours is none
	}
	now := p.now
	o := v.cfg.SDJWT
	return sdjwt.Options{
		Keys: v.sdKeys.keySources(p.keys), Holders: sdDIDKeys{p.keys},
		RequireKeyBinding: requireKB,
		Nonce:             p.challenge, Audience: p.domain,
		SkipNonce: p.challenge == "", SkipAudience: p.domain == "",
		Plain: plain,
		Now:   func() time.Time { return now }, ClockSkew: skew,
		KBMaxAge: o.KBMaxAge, KBMaxFuture: o.KBMaxFuture,
		Limits: o.Limits,
	}
}

// sdjwtAdapter verifies SD-JWT VC presentations (dc+sd-jwt, vc+sd-jwt):
// the presentation is the credential, the issuer signature and the
// KB-JWT are checked in one call; and enveloped vc+sd-jwt credentials
// inside a presentation, by their issuer signature only.
type sdjwtAdapter struct{ v *Verifier }

func (a sdjwtAdapter) presentation(ctx context.Context, c *checker, p *checkParams, pc *presentationCheck) bool {
	cred, err := pc.p.sd.Verify(ctx, a.v.sdjwtOptions(*p, pc.requireKB, false))
	if err != nil {
		step, check, e := sdjwtFailure(err, pc.target)
		return c.fail(step, pc.target, check, e)
	}
	pc.p.sdCred = cred
	c.pass(StepVCProof, pc.target, "signature", fmt.Sprintf("valid %s issuer signature (%s), key by %s", cred.Header.Alg, FormatSDJWT, cred.IssuerKey.Method))
	kb := cred.KeyBinding
	if kb == nil {
		// Not required (the query said so) and not presented: nobody is
		// bound; the credential may have been replayed (1.0 §5.3).
		pc.unbound = true
		c.skip(StepVPProof, pc.target, "key_binding", "no KB-JWT, and the credential query does not require holder binding")
		return false
	}
	holder, err := holderOf(kb)
	if err != nil {
		e := invalidRequest(ReasonKBHolderKey, "%s: the holder key of its KB-JWT cannot be named", pc.target).WithCause(err)
		return c.fail(StepHolderBinding, pc.target, "holder", e)
	}
	pc.holder, pc.signers, pc.proofOK, pc.keyBound = holder, []string{holder}, true, true
	c.pass(StepVPProof, pc.target, "key_binding", "KB-JWT signed by the cnf key, nonce, aud "+p.domain+", iat and sd_hash")
	return false
}

func (a sdjwtAdapter) credential(ctx context.Context, c *checker, p *checkParams, cr *credentialCheck) bool {
	if cr.pres != nil && cr.pres.sd != nil { // the SD-JWT VC presented itself
		cred := cr.pres.sdCred
		if cred == nil {
			return false
		}
		cr.sdCred, cr.format = cred, FormatSDJWT
		cr.vc = map[string]any{"issuer": cred.IssuerKey.Issuer, "type": []any{cred.VCT}}
		c.pass(StepIssuer, cr.target, "issuer_is_signer", "signed by a key of "+cred.IssuerKey.Issuer)
		return false
	}
	// An enveloped vc+sd-jwt (VC Data Model 2.0) inside a presentation:
	// the processed payload is a W3C credential, whose holder binding is
	// the presentation's.
	cred, err := cr.sd.Verify(ctx, a.v.sdjwtOptions(*p, false, true))
	if err != nil {
		step, check, e := sdjwtFailure(err, cr.target)
		return c.fail(step, cr.target, check, e)
	}
	cr.vc, cr.format = cred.Claims, "vc+sd-jwt"
	c.pass(StepVCProof, cr.target, "signature", fmt.Sprintf("valid %s issuer signature (vc+sd-jwt)", cred.Header.Alg))
	if issuer := jsonx.ID(cr.vc["issuer"]); issuer != cred.IssuerKey.Issuer {
		e := invalidRequest(ReasonIssuerKey, "%s: signed by a key of %s, which is not the issuer %s", cr.target, truncate(cred.IssuerKey.Issuer), truncate(issuer))
		return c.fail(StepIssuer, cr.target, "issuer_is_signer", e)
	}
	c.pass(StepIssuer, cr.target, "issuer_is_signer", "signed by the issuer "+cred.IssuerKey.Issuer)
	return false
}

// holderOf names the holder bound by a KB-JWT: the DID of a cnf.kid, or
// the did:jwk of a cnf.jwk (a stable name for the key, which the result
// reports as the holder).
func holderOf(kb *sdjwt.KeyBinding) (string, error) {
	if kb.HolderKeyID != "" {
		d, _ := did.Split(kb.HolderKeyID)
		return d, nil
	}
	jwk, err := sdjwt.JWKOf(kb.HolderKey)
	if err != nil {
		return "", err
	}
	id, _, err := didjwk.FromJWK(jwk)
	return id, err
}

// sdjwtFailure maps an sdjwt failure to the report's step and check and
// the service's reason: each code its own (protocol.go), the KB-JWT's
// nonce and aud those of every other format.
func sdjwtFailure(err error, target string) (step, check string, e *oauth.Error) {
	if !errors.As(err, new(*sdjwt.Error)) {
		if ctxErr := contextError(err); ctxErr != nil {
			return StepVCProof, "signature", ctxErr
		}
		return StepVCProof, "signature", serverError(err)
	}
	step, check, reason := StepVCProof, "signature", ReasonVCProof
	switch sdjwt.Code(err) {
	case sdjwt.CodeMalformed:
		step, check, reason = StepInput, "well_formed", ReasonMalformedVPToken
	case sdjwt.CodeTooLarge:
		step, check, reason = StepInput, "size", ReasonTooLarge
	case sdjwt.CodeAlgNotAllowed:
		check, reason = "alg", ReasonSDJWTAlg
	case sdjwt.CodeType:
		check, reason = "typ", ReasonSDJWTType
	case sdjwt.CodeHashAlg:
		check, reason = "sd_alg", ReasonSDJWTHashAlg
	case sdjwt.CodeKeyResolution:
		check, reason = "issuer_key", ReasonIssuerKeyUnresolved
	case sdjwt.CodeIssuer:
		step, check, reason = StepIssuer, "issuer_is_signer", ReasonIssuerKey
	case sdjwt.CodeSignature:
	case sdjwt.CodeDisclosureMalformed:
		check, reason = "disclosures", ReasonDisclosureMalformed
	case sdjwt.CodeDisclosureUnreferenced:
		check, reason = "disclosures", ReasonDisclosureUnreferenced
	case sdjwt.CodeDisclosureDuplicate:
		check, reason = "disclosures", ReasonDisclosureDuplicate
	case sdjwt.CodeDigestDuplicate:
		check, reason = "disclosures", ReasonDigestDuplicate
	case sdjwt.CodeClaimClash:
		check, reason = "disclosures", ReasonDisclosureClash
	case sdjwt.CodeReservedName:
		check, reason = "disclosures", ReasonDisclosureReserved
	case sdjwt.CodeClaims:
		check, reason = "claims", ReasonCredentialClaims
	case sdjwt.CodeExpired:
		step, check, reason = StepValidity, "validity_period", ReasonExpiredCredential
	case sdjwt.CodeNotYetValid:
		step, check, reason = StepValidity, "validity_period", ReasonNotYetValid
	case sdjwt.CodeKBMissing:
		step, check, reason = StepHolderBinding, "key_binding", ReasonKBMissing
	case sdjwt.CodeKBMalformed:
		step, check, reason = StepVPProof, "key_binding", ReasonKBMalformed
	case sdjwt.CodeKBType:
		step, check, reason = StepVPProof, "key_binding", ReasonKBType
	case sdjwt.CodeKBKey:
		step, check, reason = StepHolderBinding, "holder_key", ReasonKBHolderKey
	case sdjwt.CodeKBSignature:
		step, check, reason = StepVPProof, "key_binding_signature", ReasonKBSignature
	case sdjwt.CodeKBNonce:
		step, check, reason = StepVPProof, "nonce", ReasonNonce
	case sdjwt.CodeKBAudience:
		step, check, reason = StepVPProof, "audience", ReasonAudience
	case sdjwt.CodeKBIat:
		step, check, reason = StepVPProof, "key_binding_iat", ReasonKBIat
	case sdjwt.CodeKBSdHash:
		step, check, reason = StepVPProof, "sd_hash", ReasonKBSdHash
	}
	return step, check, invalidRequest(reason, "%s: %s", target, sdjwtText(err)).WithCause(err)
}

// sdjwtText is an sdjwt failure's description: package sdjwt writes its
// reasons from fixed words and bounded values (indices, algorithm names,
// counts), never a claim value or a library's text; a key that cannot be
// had gets one text whatever the cause, as a DID does (keyText).
func sdjwtText(err error) string {
	e, _ := errors.AsType[*sdjwt.Error](err)
	switch {
	case e == nil:
		return "the SD-JWT cannot be verified"
	case e.Code == sdjwt.CodeKeyResolution:
		return "the issuer's key cannot be established by a discovery method this verifier permits"
	case e.Code == sdjwt.CodeKBKey && e.Err != nil:
		return "the holder key its cnf names cannot be resolved or used"
	}
	return e.Reason
}

// NewMetadataFetcher is sdjwt's Fetcher for JWT VC Issuer Metadata over
// the guarded client: HTTPS only, public addresses only unless allowed,
// up to three redirects each re-checked, bounded in time and size.
func NewMetadataFetcher(timeout time.Duration, maxBytes int64, allowPrivate bool, tlsConfig *tls.Config) sdjwt.Fetcher {
	return metadataFetcher{safehttp.New(safehttp.Options{Timeout: timeout, MaxBytes: maxBytes, AllowPrivateAddresses: allowPrivate,
		TLS: tlsConfig, MaxRedirects: 3})}
}

type metadataFetcher struct{ c *safehttp.Client }

func (f metadataFetcher) Fetch(ctx context.Context, url string) ([]byte, string, error) {
	return f.c.Get(ctx, url, "application/json")
}
