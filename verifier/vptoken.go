package verifier

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/pex"
)

// Presentation and credential formats (OID4VP / DIF claim format
// designations) as results and reports name them.
const (
	FormatLDPVP = "ldp_vp"
	FormatLDPVC = "ldp_vc"
	FormatJWTVP = jwtvc.FormatJWTVP // jwt_vp_json
)

// presentation is one item of a vp_token: a JSON-LD presentation with a
// linked-data proof (ldp_vp), or a VC Data Model 1.1 presentation JWT
// (jwt_vp_json).
type presentation struct {
	ldp map[string]any
	jwt string
}

func (p presentation) format() string {
	if p.jwt != "" {
		return FormatJWTVP
	}
	return FormatLDPVP
}

// vpTokenShape is what vp_token may be, for error messages.
const vpTokenShape = "want a JSON-LD presentation (ldp_vp), a presentation JWT (jwt_vp_json), or an array of them"

// parseVPToken decodes vp_token: one presentation (a JSON object, or a
// compact JWS, bare or as a JSON string) or a non-empty array mixing them
// (OID4VP: "vp_token ... a JSON String or JSON object ... or a JSON
// array"). token is the decoded JSON that Presentation Exchange paths are
// evaluated on: a JWT stays a string there.
func parseVPToken(raw string) (any, []presentation, error) {
	trimmed := strings.TrimSpace(raw)
	if trimmed == "" {
		return nil, nil, errors.New(vpTokenShape)
	}
	if looksLikeJWT(trimmed) {
		return trimmed, []presentation{{jwt: trimmed}}, nil
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
func presentationsOf(token any) ([]presentation, error) {
	item := func(v any) (presentation, bool) {
		switch t := v.(type) {
		case map[string]any:
			return presentation{ldp: t}, true
		case string:
			if looksLikeJWT(t) {
				return presentation{jwt: t}, true
			}
		}
		return presentation{}, false
	}
	list, isList := token.([]any)
	if !isList {
		p, ok := item(token)
		if !ok {
			return nil, errors.New(vpTokenShape)
		}
		return []presentation{p}, nil
	}
	if len(list) == 0 {
		return nil, errors.New("empty array")
	}
	out := make([]presentation, 0, len(list))
	for i, v := range list {
		p, ok := item(v)
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

// decodeJWT is Presentation Exchange's JWT decoder: go-jose's parser, no
// signature check (the pipeline verifies every token after).
func decodeJWT(token string) (*pex.JWT, error) {
	alg, claims, err := jwtvc.Peek(token)
	if err != nil {
		return nil, err
	}
	return &pex.JWT{Alg: alg, Claims: claims}, nil
}
