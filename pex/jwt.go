package pex

import (
	"fmt"
	"slices"
	"strings"

	"github.com/loginwithiota/verifier/internal/jsonx"
)

// JWT formats (OID4VP / DIF Claim Format Registry): a VC Data Model 1.1
// credential or presentation in JWT encoding (jwt_vc_json, jwt_vp_json, and
// the older jwt_vc, jwt_vp), or "jwt" for either. pex never checks a JWT's
// signature, as it never checks a linked-data proof: the caller does. It
// needs the token decoded, which Options.DecodeJWT does (the verifier hands
// in a JOSE library's parser); without one, JWT formats are refused as
// unsupported.
//
// A descriptor-map level with a JWT format finds a compact JWS (a string;
// for a credential also a VC Data Model 2.0 EnvelopedVerifiableCredential
// whose id is a data:application/vc+jwt URL). What the next path_nested
// path, and the constraints, see is the decoded payload:
//
//   - a presentation: the JWT payload, so "$.vp.verifiableCredential[0]"
//     (OID4VP's examples) reaches a credential; "$.verifiableCredential[0]"
//     (how some wallets write it) is read in the vp claim when the payload
//     has no such member. The presentation's holder is vp.holder, else iss.
//   - a credential: the payload with the members of its vc claim beside the
//     JWT claims, issuer, id and credentialSubject.id filled in from iss,
//     jti and sub where the vc claim lacks them (VC Data Model 1.1 §6.3.1).
//     So "$.vc.credentialSubject.name" (the JWT's own layout) and
//     "$.credentialSubject.name" (the credential's) both work, and so does
//     the profile's "$.type". A VC Data Model 2.0 payload is the
//     credential itself.
//
// A designation's "alg" list restricts the alg of the protected header.

// JWT is a decoded, unverified JWT: its protected header's alg and its
// payload. View, when the decoder sets it, is the token read as a
// credential by the decoder's own rules (the ones its verification
// applies), and replaces pex's reading (credentialView) so that matching
// and verification see the same claims; nil for a presentation, or when
// the decoder has no such reading.
type JWT struct {
	Alg    string
	Claims map[string]any
	View   map[string]any
}

// JWTDecoder decodes a JWS compact serialisation without verifying it.
type JWTDecoder func(token string) (*JWT, error)

// envelopedVCPrefix starts the id of an EnvelopedVerifiableCredential
// holding a vc+jwt (VC Data Model 2.0).
const envelopedVCPrefix = "data:application/vc+jwt,"

var jwtFormats = map[string]bool{"jwt": true, "jwt_vc": true, "jwt_vc_json": true, "jwt_vp": true, "jwt_vp_json": true}

func isJWTFormat(format string) bool { return jwtFormats[format] }

// jwtLevel is a decoded JWT level of a descriptor-map entry: view is what
// the next path and the constraints see, vp the presentation (holder filled
// in) when the JWT is one.
type jwtLevel struct {
	view map[string]any
	vp   map[string]any
}

// checkJWT decodes the token v at a level with JWT format and checks it
// against the format (kind, the definition's allowed formats and algs). It
// returns the decoded level or the reason of the mismatch.
func checkJWT(allowed *formatSet, format string, v any, innermost bool, decode JWTDecoder) (*jwtLevel, string) {
	if decode == nil {
		return nil, unsupportedFormat(format, false)
	}
	spec := formatSpecs[format]
	if reason := checkNesting(format, spec.kind, innermost); reason != "" {
		return nil, reason
	}
	token, ok := v.(string)
	if obj, isObj := v.(map[string]any); isObj && innermost {
		id, _ := obj["id"].(string)
		token, ok = strings.CutPrefix(id, envelopedVCPrefix)
	}
	if !ok || token == "" {
		return nil, fmt.Sprintf("the object is not %s: not a JWT (a compact JWS string)", format)
	}
	jwt, err := decode(token)
	if err != nil || jwt == nil || jwt.Claims == nil {
		return nil, fmt.Sprintf("the object is not %s: it does not decode as a JWT", format)
	}
	var lv *jwtLevel
	if innermost {
		view, reason := jwt.View, ""
		if view == nil {
			view, reason = credentialView(jwt.Claims)
		}
		if reason != "" {
			return nil, fmt.Sprintf("the object is not %s: %s", format, reason)
		}
		lv = &jwtLevel{view: view}
	} else {
		vp, ok := jwt.Claims["vp"].(map[string]any)
		if !ok {
			return nil, fmt.Sprintf("the object is not %s: the JWT has no vp claim", format)
		}
		vp = shallowCopy(vp)
		if jsonx.ID(vp["holder"]) == "" {
			if iss, _ := jwt.Claims["iss"].(string); iss != "" {
				vp["holder"] = iss
			}
		}
		lv = &jwtLevel{view: jwt.Claims, vp: vp}
	}
	d, ok, reason := allowedDesignation(allowed, format, spec)
	if reason != "" {
		return nil, reason
	}
	if ok && len(d.Alg) > 0 && !slices.Contains(d.Alg, jwt.Alg) {
		return nil, fmt.Sprintf("alg %s is not allowed (allowed for %s: %s)", quote(jwt.Alg), format, strings.Join(d.Alg, ", "))
	}
	return lv, ""
}

// credentialView is the object constraints see for a JWT credential.
func credentialView(claims map[string]any) (map[string]any, string) {
	vc, isV1 := claims["vc"].(map[string]any)
	if !isV1 {
		if _, isVP := claims["vp"]; !isVP && hasType(claims["type"], "VerifiableCredential") {
			return claims, "" // VC Data Model 2.0: the payload is the credential
		}
		return nil, "the JWT has no vc claim"
	}
	view := shallowCopy(claims)
	for k, v := range vc {
		if _, taken := view[k]; !taken {
			view[k] = v
		}
	}
	if iss, _ := claims["iss"].(string); iss != "" && view["issuer"] == nil {
		view["issuer"] = iss
	}
	if jti, _ := claims["jti"].(string); jti != "" && view["id"] == nil {
		view["id"] = jti
	}
	if sub, _ := claims["sub"].(string); sub != "" {
		if cs, ok := vc["credentialSubject"].(map[string]any); ok && cs["id"] == nil {
			cs = shallowCopy(cs)
			cs["id"] = sub
			view["credentialSubject"] = cs
		}
	}
	return view, ""
}

func shallowCopy(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+2)
	for k, v := range m {
		out[k] = v
	}
	return out
}
