package verifier

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/oid4vp"
	"github.com/loginwithiota/verifier/session"
)

// Request dialects: which generation of OID4VP a login's request speaks
// (oid4vp.Dialect). A definition lists the dialects a login may ask for,
// its default first (Definition.Protocols, else Config.Protocols, else
// oid4vp.DefaultProtocols); the session records the one chosen, and every
// later step — the request URI, the request object, the client_id that
// proofs must name — asks that dialect.

// PathRequests + session id is the request_uri of a request sent by
// reference (web/request.go serves it).
const PathRequests = "/oid4vp/requests/"

// dialects is what a compiled definition knows of its requests.
type dialects struct {
	// protocols are the dialects a login may ask for, the default first.
	protocols []string
	// vpFormats is client_metadata.vp_formats of its requests.
	vpFormats map[string]any
}

func dialectsOf(d Definition, defaults []string) (dialects, error) {
	p, err := protocolsOf(d, defaults)
	if err != nil {
		return dialects{}, err
	}
	f, err := oid4vp.VPFormats(d.PEX.JSON(), supportedFormats())
	if err != nil {
		return dialects{}, fmt.Errorf("presentation definition %q: %w", d.PEX.ID(), err)
	}
	return dialects{protocols: p, vpFormats: f}, nil
}

// protocolsOf checks a definition's dialect list (or the default one) and
// returns it, default first.
func protocolsOf(d Definition, defaults []string) ([]string, error) {
	list := d.Protocols
	if len(list) == 0 {
		list = defaults
	}
	if len(list) == 0 {
		list = oid4vp.DefaultProtocols()
	}
	for i, p := range list {
		if _, err := oid4vp.Lookup(p); err != nil {
			return nil, fmt.Errorf("presentation definition %q: protocol: %v", d.PEX.ID(), err)
		}
		if slices.Contains(list[:i], p) {
			return nil, fmt.Errorf("presentation definition %q: protocol: %q is listed twice", d.PEX.ID(), p)
		}
	}
	return slices.Clone(list), nil
}

// chooseDialect is the dialect of a new login on def: the one asked for,
// if def allows it, else def's default.
func chooseDialect(def *compiled, asked string) (oid4vp.Dialect, *oauth.Error) {
	if asked == "" {
		d, _ := oid4vp.Lookup(def.protocols[0])
		return d, nil
	}
	d, err := oid4vp.Lookup(asked)
	if err != nil {
		return nil, invalidRequest("", "%s", err)
	}
	if !slices.Contains(def.protocols, asked) {
		return nil, invalidRequest("", "presentation definition %q does not allow protocol %q (allowed: %s)",
			def.id(), asked, strings.Join(def.protocols, ", "))
	}
	return d, nil
}

// dialectOf is the dialect s was started with.
func dialectOf(s session.Session) (oid4vp.Dialect, error) {
	return oid4vp.Lookup(s.Protocol)
}

// clientID is how the verifier named itself in s's request: what its
// presentations' domain / aud must be.
func (v *Verifier) clientID(s session.Session) string {
	d, err := dialectOf(s)
	if err != nil {
		return v.ClientID()
	}
	return d.ClientID(v.ResponseURL())
}

// login is what s's request says.
func (v *Verifier) login(s session.Session) oid4vp.Login {
	def := v.defs[s.DefinitionID]
	l := oid4vp.Login{
		ResponseURI:       v.ResponseURL(),
		Nonce:             s.Nonce,
		State:             s.State,
		SameDevice:        s.Flow == session.FlowSameDevice,
		ResponseMode:      s.ResponseMode,
		DefinitionURI:     v.cfg.PublicURL + PathDefinitions + url.PathEscape(s.DefinitionID),
		DefinitionByValue: v.cfg.DefinitionByValue,
	}
	if def != nil {
		l.Definition = def.PEX.JSON()
		l.VPFormats = def.vpFormats
	}
	return l
}

// requestParameters are s's request parameters, by value.
func (v *Verifier) requestParameters(s session.Session) (oid4vp.Dialect, map[string]any, error) {
	d, err := dialectOf(s)
	if err != nil {
		return nil, nil, err
	}
	if _, ok := v.defs[s.DefinitionID]; !ok {
		return nil, nil, errors.New("the session's definition is no longer configured")
	}
	return d, d.Parameters(v.login(s)), nil
}

// byReference reports whether s's request goes by request_uri.
func (v *Verifier) byReference(d oid4vp.Dialect) bool {
	return v.cfg.RequestByReference && d.ByReference()
}

// RequestObject returns the request object of pending session id, which
// a wallet fetches by request_uri. The id alone is the capability, as for
// the QR codes: it opens the request, never the result.
func (v *Verifier) RequestObject(ctx context.Context, id string) (string, error) {
	s, err := v.store.Get(ctx, id)
	if err != nil {
		return "", storeError(err)
	}
	if s.Effective(v.now()) != session.StatusPending {
		return "", notFound("the session is no longer pending")
	}
	d, params, err := v.requestParameters(s)
	if err != nil {
		return "", serverError(err)
	}
	if !v.byReference(d) {
		return "", notFound("this login's request is sent by value")
	}
	jwt, err := oid4vp.RequestObject(d, params)
	if err != nil {
		return "", serverError(err)
	}
	return jwt, nil
}

// supportedFormats is what this build verifies, as vp_formats names it:
// every registered linked-data proof type (and Data Integrity
// cryptosuite), and the JWT algs jwtvc checks, under the current and the
// older JWT format names.
func supportedFormats() map[string]map[string][]string {
	types, suites := supportedProofs()
	algs := []string{jwtvc.AlgEdDSA, jwtvc.AlgES256}
	ldp := map[string][]string{"proof_type": types}
	di := map[string][]string{"proof_type": {"DataIntegrityProof"}, "cryptosuite": suites}
	jwt := map[string][]string{"alg": algs}
	return map[string]map[string][]string{
		"ldp_vp": ldp, "ldp_vc": ldp, "di_vp": di, "di_vc": di,
		"jwt_vp_json": jwt, "jwt_vc_json": jwt, "jwt_vp": jwt, "jwt_vc": jwt,
	}
}
