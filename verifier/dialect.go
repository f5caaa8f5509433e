package verifier

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/loginwithiota/verifier/dcql"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/oid4vp"
	"github.com/loginwithiota/verifier/sdjwt"
	"github.com/loginwithiota/verifier/session"
)

// Request dialects: which generation of OID4VP a login's request speaks
// (oid4vp.Dialect). A definition lists the dialects a login may ask for,
// its default first (Definition.Protocols, else Config.Protocols, else
// oid4vp.DefaultProtocols); the session records the one chosen, and every
// later step — the request URI, the request object, the client_id that
// proofs must name — asks that dialect.
//
// A definition with a DCQL query may also be asked for the 1.0 dialects
// (1.0 and the one-QR 1.0+draft-20) when its list names neither: lists
// written before 1.0 keep their default, and gain 1.0 where the operator
// added a DCQL query. A list that names one of them is taken as written.

// PathRequests + session id is the request_uri of a request sent by
// reference (web/request.go serves it).
const PathRequests = "/oid4vp/requests/"

// dialects is what a compiled definition knows of its requests.
type dialects struct {
	// protocols are the dialects a login may ask for, the default first.
	protocols []string
	// vpFormats is client_metadata.vp_formats of its PEX requests,
	// vpFormatsSupported client_metadata.vp_formats_supported of its 1.0
	// ones.
	vpFormats, vpFormatsSupported map[string]any
}

// dialectsOf reads d's dialects; signed says whether the verifier's 1.0
// client identifier signs its requests (the one-QR dialect needs it).
func dialectsOf(d Definition, defaults []string, signed bool) (dialects, error) {
	p, err := protocolsOf(d, defaults, signed)
	if err != nil {
		return dialects{}, err
	}
	out := dialects{protocols: p}
	if d.PEX != nil {
		if out.vpFormats, err = oid4vp.VPFormats(d.PEX.JSON(), supportedFormats()); err != nil {
			return dialects{}, fmt.Errorf("presentation definition %q: %w", d.ID, err)
		}
	}
	if d.DCQL != nil {
		out.vpFormatsSupported = oid4vp.VPFormatsSupported(queryFormats(d.DCQL), supportedV1())
	}
	return out, nil
}

// protocolsOf checks a definition's dialect list (or the default one) and
// returns it, default first.
func protocolsOf(d Definition, defaults []string, signed bool) ([]string, error) {
	list := d.Protocols
	if len(list) == 0 {
		list = defaults
		if d.PEX == nil {
			list = nil // the defaults name PEX dialects it cannot serve
		}
	}
	if len(list) == 0 && d.PEX != nil {
		list = oid4vp.DefaultProtocols()
	}
	list = slices.Clone(list)
	if d.DCQL != nil && !slices.Contains(list, oid4vp.V1) && !slices.Contains(list, oid4vp.V1Draft20) {
		if d.PEX != nil && signed {
			list = append(list, oid4vp.V1Draft20)
		}
		list = append(list, oid4vp.V1)
	}
	for i, p := range list {
		if _, err := oid4vp.Lookup(p); err != nil {
			return nil, fmt.Errorf("presentation definition %q: protocol: %v", d.ID, err)
		}
		if slices.Contains(list[:i], p) {
			return nil, fmt.Errorf("presentation definition %q: protocol: %q is listed twice", d.ID, p)
		}
		switch {
		case p == oid4vp.V1 && d.DCQL == nil:
			return nil, fmt.Errorf("presentation definition %q: protocol: %s needs a DCQL query (dcql_queries, or dcql: derive)", d.ID, p)
		case p == oid4vp.V1Draft20 && (d.DCQL == nil || d.PEX == nil):
			return nil, fmt.Errorf("presentation definition %q: protocol: %s needs a presentation definition and a DCQL query", d.ID, p)
		case p == oid4vp.V1Draft20 && !signed:
			return nil, fmt.Errorf("presentation definition %q: protocol: %s needs signed requests (the redirect_uri client identifier prefix has none)", d.ID, p)
		case p != oid4vp.V1 && p != oid4vp.V1Draft20 && d.PEX == nil:
			return nil, fmt.Errorf("presentation definition %q: protocol: %s needs a presentation definition", d.ID, p)
		}
	}
	return list, nil
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
// presentations' domain / aud must be. A 1.0 login names itself with the
// full prefixed client identifier, whichever of its requests the wallet
// fetched (the one-QR dialect's draft-20 request carries it too).
func (v *Verifier) clientID(s session.Session) string {
	d, err := dialectOf(s)
	switch {
	case err != nil:
		return v.ClientID()
	case oid4vp.IsV1(d):
		return v.identity.ClientID.String()
	}
	return v.ResponseURL()
}

// fetch is how a wallet fetched a request (zero: the request URI itself
// is being built).
type fetch struct {
	method string // oid4vp.RequestURIMethodGet or Post
	wallet oid4vp.WalletRequest
}

// login is what s's request says, for fetch f.
func (v *Verifier) login(s session.Session, f fetch) oid4vp.Login {
	def := v.defs[s.DefinitionID]
	l := oid4vp.Login{
		ResponseURI:       v.ResponseURL(),
		Nonce:             s.Nonce,
		State:             s.State,
		SameDevice:        s.Flow == session.FlowSameDevice,
		ResponseMode:      s.ResponseMode,
		DefinitionURI:     v.cfg.PublicURL + PathDefinitions + url.PathEscape(s.DefinitionID),
		DefinitionByValue: v.cfg.DefinitionByValue,
		ClientID:          v.identity.ClientID.String(),
		WalletNonce:       f.wallet.Nonce,
		VerifierInfo:      v.cfg.V1.VerifierInfo,
	}
	if def != nil {
		if def.PEX != nil {
			l.Definition = def.PEX.JSON()
		}
		l.VPFormats = def.vpFormats
		l.DCQL = def.DCQLJSON
		l.VPFormatsSupported = def.vpFormatsSupported
	}
	l.Encryption = v.encryption(s, f)
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
	return d, d.Parameters(v.login(s, fetch{})), nil
}

// byReference reports whether s's request goes by request_uri as an
// unsigned request object.
func (v *Verifier) byReference(d oid4vp.Dialect) bool {
	return v.cfg.RequestByReference && d.ByReference()
}

// signedByReference reports whether s's requests are signed request
// objects by request_uri (the 1.0 dialects under a signing prefix).
func (v *Verifier) signedByReference(d oid4vp.Dialect) bool {
	return oid4vp.IsV1(d) && v.identity.ClientID.Signed()
}

// RequestObject returns the request object of pending session id, which
// a wallet fetches by request_uri with method (oid4vp.RequestURIMethodGet
// or Post) and, for a POST, what it posted. The id alone is the
// capability, as for the QR codes: it opens the request, never the
// result. Every fetch of one login gets the same request — the same
// nonce, state, query and response key — but for the wallet_nonce it
// posted, which is echoed, and, under response_encryption
// when_supported, the response mode its metadata allows.
func (v *Verifier) RequestObject(ctx context.Context, id, method string, wallet oid4vp.WalletRequest) (string, error) {
	s, err := v.store.Get(ctx, id)
	if err != nil {
		return "", storeError(err)
	}
	if s.Effective(v.now()) != session.StatusPending {
		return "", notFound("the session is no longer pending")
	}
	d, err := dialectOf(s)
	if err != nil {
		return "", serverError(err)
	}
	if _, ok := v.defs[s.DefinitionID]; !ok {
		return "", serverError(errors.New("the session's definition is no longer configured"))
	}
	if v.signedByReference(d) {
		params, served := oid4vp.ForFetch(d, v.login(s, fetch{method: method, wallet: wallet}), method)
		jwt, err := oid4vp.SignRequestObject(*v.identity.Signer, params, v.now(), s.ExpiresAt)
		if err != nil {
			return "", serverError(err)
		}
		v.log.DebugContext(ctx, "request object served", "session", s.ID, "method", method, "dialect", served,
			"response_mode", params[oid4vp.ParamResponseMode])
		return jwt, nil
	}
	if !v.byReference(d) {
		return "", notFound("this login's request is sent by value")
	}
	jwt, err := oid4vp.RequestObject(d, d.Parameters(v.login(s, fetch{method: method})))
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

// supportedV1 is what this build verifies, as vp_formats_supported names
// it.
func supportedV1() oid4vp.Supported {
	types, suites := supportedProofs()
	algs := []string{jwtvc.AlgEdDSA, jwtvc.AlgES256}
	sd := []string{sdjwt.AlgEdDSA, sdjwt.AlgES256}
	return oid4vp.Supported{JWTAlgs: algs, ProofTypes: types, Cryptosuites: suites, SDJWTAlgs: sd, KBJWTAlgs: sd}
}

// queryFormats are the formats a DCQL query names, in order.
func queryFormats(q *dcql.Query) []string {
	var out []string
	for _, cq := range q.Credentials {
		if !slices.Contains(out, cq.Format) {
			out = append(out, cq.Format)
		}
	}
	return out
}
