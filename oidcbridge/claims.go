package oidcbridge

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/PaesslerAG/gval"
	"github.com/PaesslerAG/jsonpath"

	"github.com/loginwithiota/verifier/session"
)

// scope is a credential scope with its claim paths compiled.
type scope struct {
	Scope
	claims []claimPath
}

type claimPath struct {
	name string
	path string
	eval gval.Evaluable
}

func compileScope(s Scope) (*scope, error) {
	out := &scope{Scope: s}
	for _, name := range sortedKeys(s.Claims) {
		eval, err := jsonpath.New(s.Claims[name])
		if err != nil {
			return nil, fmt.Errorf("oidc: scope %q: claim %q: %w", s.Name, name, err)
		}
		out.claims = append(out.claims, claimPath{name: name, path: s.Claims[name], eval: eval})
	}
	return out, nil
}

// mapClaims turns a verified result into the claims a client gets: each
// mapped claim from the first matched credential where its path finds a
// value, and the vc claim when the request asked for it. Nothing else of
// the credentials leaves this function.
func mapClaims(ctx context.Context, s *scope, r *session.Result, withVC bool) (map[string]any, error) {
	claims := map[string]any{}
	creds := make([]any, 0, len(r.Credentials))
	for _, c := range r.Credentials {
		// The path sees a credential as the website API reports it.
		raw, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		creds = append(creds, v)
	}
	for _, cp := range s.claims {
		for _, c := range creds {
			if v, ok := evalPath(ctx, cp.eval, c); ok {
				claims[cp.name] = v
				break
			}
		}
	}
	if withVC {
		vc := make([]map[string]any, 0, len(r.Credentials))
		for _, c := range r.Credentials {
			vc = append(vc, map[string]any{"issuer": c.Issuer, "type": slices.Clone(c.Type)})
		}
		claims[VCScope] = vc
	}
	return claims, nil
}

// evalPath evaluates a path; a missing member is no value, and a panic in
// the library (on data we verified, but still) is no value either.
func evalPath(ctx context.Context, eval gval.Evaluable, v any) (out any, ok bool) {
	defer func() {
		if recover() != nil {
			out, ok = nil, false
		}
	}()
	res, err := eval(ctx, v)
	if err != nil || res == nil {
		return nil, false
	}
	if list, isList := res.([]any); isList && len(list) == 0 {
		return nil, false // a wildcard that matched nothing
	}
	return res, true
}

// subject is the sub a client sees: the holder's DID, or for a pairwise
// client HMAC-SHA256 over its sector and the DID (OpenID Connect Core
// §8.1), so two sectors cannot join their users.
func subject(c *client, secret []byte, holder string) string {
	if !c.Pairwise {
		return holder
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(c.Sector))
	mac.Write([]byte{0}) // a sector cannot run into the DID
	mac.Write([]byte(holder))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
