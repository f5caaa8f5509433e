package verifier

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/loginwithiota/verifier/internal/jsonx"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/pex"
	"github.com/loginwithiota/verifier/sdjwt"
)

// Presentation and credential formats (OID4VP / DIF claim format
// designations) as results and reports name them.
const (
	FormatLDPVP = "ldp_vp"
	FormatLDPVC = "ldp_vc"
	FormatJWTVP = jwtvc.FormatJWTVP // jwt_vp_json
	FormatVPJWT = jwtvc.FormatVPJWT // vp+jwt (VC Data Model 2.0)
	// FormatSDJWT is an SD-JWT VC (OID4VP 1.0 B.3), also sent as vc+sd-jwt.
	FormatSDJWT = "dc+sd-jwt"
	// FormatJWTVC is a credential JWT (jwt_vc_json, or 2.0's vc+jwt).
	FormatJWTVC = jwtvc.FormatJWTVC
)

// answer is a wallet's vp_token decoded once: its presentations, each JWT
// in it parsed once (go-jose) and shared by the query, which reads it, and
// the format adapter, which verifies that same parse.
type answer struct {
	// token is the vp_token as decoded JSON (a JWT stays a string): what a
	// query's paths are evaluated on.
	token         any
	presentations []*presented
	tokens        map[string]*jwtvc.Token
	// sdTokens are the enveloped SD-JWTs (vc+sd-jwt) parsed once.
	sdTokens map[string]*sdjwt.Token
}

// presented is one presentation of a vp_token.
type presented struct {
	index int
	ldp   map[string]any // an ldp_vp
	jwt   *jwtvc.Token   // a jwt_vp_json
	// creds are its verifiableCredential items as they are in the token:
	// JSON-LD credentials (maps), credential JWTs (strings), enveloped
	// credentials (maps whose id is a data: URL).
	creds []any
	// credErr says why verifiableCredential cannot be read (nil: it can).
	credErr error

	// A DCQL answer's presentations (answer_dcql.go): the credential
	// query it is under and its place there.
	queryID    string
	queryIndex int
	// sd is an SD-JWT VC presentation (the presentation is the
	// credential); sdCred is it once verified.
	sd     *sdjwt.Token
	sdCred *sdjwt.Credential
	// bare: a credential presented without a presentation around it
	// (DCQL, require_cryptographic_holder_binding false); creds holds it.
	bare bool
}

func (p *presented) format() string {
	switch {
	case p.sd != nil:
		return FormatSDJWT
	case p.bare && p.jwt != nil:
		return FormatJWTVC
	case p.bare:
		return FormatLDPVC
	case p.jwt != nil:
		return p.jwt.PresentationFormat()
	}
	return FormatLDPVP
}

// vpTokenShape is what vp_token may be, for error messages.
const vpTokenShape = "want a JSON-LD presentation (ldp_vp), a presentation JWT (jwt_vp_json), or an array of them"

// decodeAnswer reads vp_token and checks the counts the limits bound,
// before anything is verified.
func decodeAnswer(raw string, lim Limits) (*answer, *oauth.Error) {
	token, items, err := parseVPToken(raw)
	if err != nil {
		return nil, invalidRequest(ReasonMalformedVPToken, "vp_token: %s", err)
	}
	if len(items) > lim.MaxPresentations {
		return nil, invalidRequest(ReasonTooLarge, "vp_token holds %d presentations; at most %d are accepted", len(items), lim.MaxPresentations)
	}
	a := &answer{token: token, tokens: map[string]*jwtvc.Token{}}
	total := 0
	for i, it := range items {
		p := &presented{index: i, ldp: it.ldp}
		target := fmt.Sprintf("presentation %d", i)
		if it.jwt != "" {
			t, err := a.parseJWT(it.jwt)
			if err != nil {
				return nil, invalidRequest(ReasonMalformedVPToken, "%s is not a well-formed JWT", target)
			}
			if !t.IsPresentation() {
				return nil, invalidRequest(ReasonMalformedVPToken, "%s is a JWT without a vp claim", target)
			}
			p.jwt = t
			p.creds = jsonx.Items(t.Presentation()["verifiableCredential"])
		} else {
			if n := proofCount(p.ldp); n > lim.MaxProofs {
				return nil, invalidRequest(ReasonTooLarge, "%s has %d proofs; at most %d are accepted", target, n, lim.MaxProofs)
			}
			p.creds, p.credErr = ldpCredentials(p.ldp)
			for j, c := range p.creds {
				if m, ok := c.(map[string]any); ok {
					if n := proofCount(m); n > lim.MaxProofs {
						return nil, invalidRequest(ReasonTooLarge, "%s credential %d has %d proofs; at most %d are accepted", target, j, n, lim.MaxProofs)
					}
				}
			}
		}
		total += len(p.creds)
		if total > lim.MaxCredentials {
			return nil, invalidRequest(ReasonTooLarge, "vp_token holds more than %d credentials", lim.MaxCredentials)
		}
		a.presentations = append(a.presentations, p)
	}
	return a, nil
}

// parseJWT parses a JWT of the answer once.
func (a *answer) parseJWT(s string) (*jwtvc.Token, error) {
	if t, ok := a.tokens[s]; ok {
		return t, nil
	}
	t, err := jwtvc.Parse(s, jwtvc.Options{})
	if err != nil {
		return nil, err
	}
	a.tokens[s] = t
	return t, nil
}

// decodeJWT is Presentation Exchange's JWT decoder: the answer's own parse,
// and for a credential jwtvc's reading of it (the one verification
// applies), so matching and verification see the same claims.
func (a *answer) decodeJWT(s string) (*pex.JWT, error) {
	t, err := a.parseJWT(s)
	if err != nil {
		return nil, err
	}
	j := &pex.JWT{Alg: t.Alg(), Claims: t.Claims()}
	if !t.IsPresentation() {
		if vc, err := t.CredentialView(); err == nil {
			j.View = credentialLayout(t.Claims(), vc)
		}
	}
	return j, nil
}

// credentialLayout is what a query's paths see of a credential JWT: the
// JWT's own layout ("$.vc.credentialSubject.name") and, beside it, the
// credential as jwtvc reads it ("$.credentialSubject.name", "$.issuer",
// filled in from iss, jti, sub, nbf, exp), so both spellings wallets and
// definitions use select the same verified values.
func credentialLayout(claims, vc map[string]any) map[string]any {
	view := make(map[string]any, len(claims)+len(vc))
	for k, v := range claims {
		view[k] = v
	}
	for k, v := range vc {
		if _, taken := view[k]; !taken {
			view[k] = v
		}
	}
	return view
}

// ldpCredentials lists an ldp_vp's verifiableCredential items, which may be
// one value or an array (VC Data Model: "verifiableCredential ... one or
// more"): JSON-LD credentials or JWT strings.
func ldpCredentials(vp map[string]any) ([]any, error) {
	raw, ok := vp["verifiableCredential"]
	if !ok || raw == nil {
		return nil, nil
	}
	items := jsonx.Items(raw)
	for i, it := range items {
		switch it := it.(type) {
		case map[string]any:
		case string:
			if !looksLikeJWT(it) {
				return items, fmt.Errorf("verifiableCredential[%d] is a string but not a JWT", i)
			}
		default:
			return items, fmt.Errorf("verifiableCredential[%d] is neither a JSON-LD credential (ldp_vc) nor a JWT", i)
		}
	}
	return items, nil
}

// proofCount is how many proofs doc carries.
func proofCount(doc map[string]any) int {
	switch p := doc["proof"].(type) {
	case nil:
		return 0
	case []any:
		return len(p)
	}
	return 1
}

// sameItem reports whether a and b are the same item of a decoded token:
// the same map (not an equal one: identity is what a match points at) or
// the same JWT text.
func sameItem(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && reflect.ValueOf(x).UnsafePointer() == reflect.ValueOf(y).UnsafePointer()
	case string:
		y, ok := b.(string)
		return ok && x == y
	}
	return false
}

// envelopedPrefix starts the id of a VC Data Model 2.0
// EnvelopedVerifiableCredential holding a vc+jwt.
const envelopedPrefix = "data:application/vc+jwt,"

// envelopedSDJWT returns the SD-JWT of an enveloped vc+sd-jwt credential
// item (VC Data Model 2.0: data:application/vc+sd-jwt,…).
func envelopedSDJWT(item any) (string, bool) {
	m, ok := item.(map[string]any)
	if !ok {
		return "", false
	}
	id, _ := m["id"].(string)
	return strings.CutPrefix(id, jwtvc.EnvelopedSDJWTPrefix)
}

// credentialJWT returns the JWT of a credential item: the string itself,
// or an enveloped credential's.
func credentialJWT(item any) (string, bool) {
	switch it := item.(type) {
	case string:
		return it, looksLikeJWT(it)
	case map[string]any:
		id, _ := it["id"].(string)
		t, ok := strings.CutPrefix(id, envelopedPrefix)
		return t, ok && looksLikeJWT(t)
	}
	return "", false
}

// item is one vp_token entry before it is decoded further.
type item struct {
	ldp map[string]any
	jwt string
}

// parseVPToken decodes vp_token: one presentation (a JSON object, or a
// compact JWS, bare or as a JSON string) or a non-empty array mixing them
// (OID4VP: "vp_token ... a JSON String or JSON object ... or a JSON
// array"). token is the decoded JSON that Presentation Exchange paths are
// evaluated on: a JWT stays a string there.
func parseVPToken(raw string) (any, []item, error) {
	trimmed := strings.TrimSpace(raw)
	if trimmed == "" {
		return nil, nil, errors.New(vpTokenShape)
	}
	if looksLikeJWT(trimmed) {
		return trimmed, []item{{jwt: trimmed}}, nil
	}
	if c := trimmed[0]; c != '{' && c != '[' && c != '"' {
		return nil, nil, errors.New(vpTokenShape)
	}
	var token any
	if err := json.Unmarshal([]byte(trimmed), &token); err != nil {
		return nil, nil, errors.New("not valid JSON")
	}
	items, err := presentationsOf(token)
	if err != nil {
		return nil, nil, err
	}
	return token, items, nil
}

// presentationsOf reads decoded vp_token JSON.
func presentationsOf(token any) ([]item, error) {
	one := func(v any) (item, bool) {
		switch t := v.(type) {
		case map[string]any:
			return item{ldp: t}, true
		case string:
			if looksLikeJWT(t) {
				return item{jwt: t}, true
			}
		}
		return item{}, false
	}
	list, isList := token.([]any)
	if !isList {
		p, ok := one(token)
		if !ok {
			return nil, errors.New(vpTokenShape)
		}
		return []item{p}, nil
	}
	if len(list) == 0 {
		return nil, errors.New("empty array")
	}
	out := make([]item, 0, len(list))
	for i, v := range list {
		p, ok := one(v)
		if !ok {
			return nil, fmt.Errorf("array item %d is neither a presentation object nor a presentation JWT", i)
		}
		out = append(out, p)
	}
	return out, nil
}

// looksLikeJWT: three base64url segments, the form of a JWS compact
// serialisation (go-jose parses it for real).
func looksLikeJWT(s string) bool {
	if strings.Count(s, ".") != 2 || len(s) < 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func (it item) format() string {
	if it.jwt != "" {
		return FormatJWTVP
	}
	return FormatLDPVP
}
