package vp

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/loginwithiota/verifier/dcql"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/sdjwt"
	"github.com/loginwithiota/verifier/wallet"
)

// view is a stored credential as DCQL reads it (dcql.Credential: format,
// type, claims, bound to the wallet's key) and what the request's
// vp_formats_supported is checked against.
type view struct {
	dcql.Credential
	// Alg is the issuer's JWS alg (jwt_vc_json, dc+sd-jwt); ProofType and
	// Cryptosuite an ldp_vc's proof.
	Alg, ProofType, Cryptosuite string
}

// sdOptions parse a stored SD-JWT VC: every hash algorithm is the
// issuer's choice, already accepted when it arrived.
var sdOptions = sdjwt.Options{HashAlgorithms: []string{sdjwt.HashSHA256, sdjwt.HashSHA384, sdjwt.HashSHA512}}

// viewOf reads s, refusing what the wallet cannot present: a credential
// not bound to its key (its DID for the W3C formats, cnf.jwk for an
// SD-JWT VC).
func viewOf(s wallet.Stored, key *wallet.Key) (*view, error) {
	v := &view{Credential: dcql.Credential{Format: s.Format, HolderBound: true}}
	switch s.Format {
	case dcql.FormatJWTVC:
		tok, _ := s.Credential.Credential.(string)
		alg, claims, err := jwtvc.Peek(tok)
		if err != nil {
			return nil, errors.New("not a VC-JWT")
		}
		vc, _ := claims["vc"].(map[string]any)
		if subjectOf(vc) != key.DID && claims["sub"] != key.DID {
			return nil, errors.New("not about this wallet's DID")
		}
		v.Alg, v.Types, v.Claims = alg, typesOf(vc), vc
	case dcql.FormatSDJWTVC:
		tok, _ := s.Credential.Credential.(string)
		t, err := sdjwt.Parse(tok, sdOptions)
		if err != nil {
			return nil, errors.New("not an SD-JWT VC")
		}
		claims := t.Claims()
		cnf, _ := claims["cnf"].(map[string]any)
		jwk, _ := cnf["jwk"].(map[string]any)
		mine, err := sdjwt.JWKOf(key.Signer().Public())
		if err != nil || jwk == nil || jwk["kty"] != mine["kty"] || jwk["crv"] != mine["crv"] || jwk["x"] != mine["x"] || jwk["y"] != mine["y"] {
			return nil, errors.New("not bound to this wallet's key (cnf.jwk)")
		}
		v.Alg, v.Claims = t.Header().Alg, claims
		v.VCT, _ = claims["vct"].(string)
		for _, a := range stringList(claims["aka_vcts"]) {
			v.AKAVCTs = append(v.AKAVCTs, a)
		}
	case dcql.FormatLDPVC:
		doc, _ := s.Credential.Credential.(map[string]any)
		if subjectOf(doc) != key.DID {
			return nil, errors.New("not about this wallet's DID")
		}
		if key.Ed25519() == nil {
			return nil, errors.New("the wallet's key is not an Ed25519 key (a linked-data presentation needs one)")
		}
		proof, _ := doc["proof"].(map[string]any)
		v.ProofType, _ = proof["type"].(string)
		v.Cryptosuite, _ = proof["cryptosuite"].(string)
		v.Types, v.Claims = typesOf(doc), doc
	default:
		return nil, fmt.Errorf("format %s is not presented by this wallet", wallet.Clip(s.Format))
	}
	return v, nil
}

// acceptedBy checks a credential against the request's
// vp_formats_supported (§B: alg_values, sd-jwt_alg_values,
// kb-jwt_alg_values, proof_type_values, cryptosuite_values: "If present,
// the ... of the presented Verifiable Credential or Verifiable
// Presentation MUST match one of the array values") and picks an ldp_vp's
// proof type; why says what does not fit.
func acceptedBy(r *Request, format string, v *view, key *wallet.Key) (proof, why string) {
	var entry map[string]any
	if r.VPFormatsSupported != nil {
		var ok bool
		if entry, ok = r.VPFormatsSupported[format]; !ok {
			return "", "the verifier takes no " + format
		}
	}
	list := func(name string) ([]string, bool) {
		raw, ok := entry[name]
		return stringList(raw), ok
	}
	switch format {
	case dcql.FormatJWTVC:
		if algs, ok := list("alg_values"); ok && (!algIn(algs, v.Alg) || !algIn(algs, key.Alg)) {
			return "", fmt.Sprintf("the verifier takes %s; the credential is %s, the wallet signs %s", strings.Join(algs, ", "), v.Alg, key.Alg)
		}
	case dcql.FormatSDJWTVC:
		if algs, ok := list("sd-jwt_alg_values"); ok && !algIn(algs, v.Alg) {
			return "", fmt.Sprintf("the verifier takes SD-JWTs signed with %s, not %s", strings.Join(algs, ", "), v.Alg)
		}
		if algs, ok := list("kb-jwt_alg_values"); ok && !algIn(algs, key.Alg) {
			return "", fmt.Sprintf("the verifier takes KB-JWTs signed with %s; the wallet signs %s", strings.Join(algs, ", "), key.Alg)
		}
	case dcql.FormatLDPVC:
		types, hasTypes := list("proof_type_values")
		suites, hasSuites := list("cryptosuite_values")
		if hasTypes && !slices.Contains(types, v.ProofType) || hasSuites && v.Cryptosuite != "" && !slices.Contains(suites, v.Cryptosuite) {
			return "", "the verifier takes no credential proof " + v.ProofType
		}
		for _, t := range ldpProofTypes {
			if hasTypes && !slices.Contains(types, t) || t == "DataIntegrityProof" && hasSuites && !slices.Contains(suites, "eddsa-rdfc-2022") {
				continue
			}
			return t, ""
		}
		return "", "the verifier takes no presentation proof this wallet signs (" + strings.Join(ldpProofTypes, ", ") + ")"
	}
	return "", ""
}

// algIn: alg is listed, also by its fully-specified name (B.3.4 lists
// "fully-specified identifiers": Ed25519 for EdDSA with an Ed25519 key).
func algIn(list []string, alg string) bool {
	return slices.Contains(list, alg) || alg == "EdDSA" && slices.Contains(list, "Ed25519")
}

// share fills what the verifier will receive of qc's credential: for an
// SD-JWT VC the disclosures of the requested claims only (§6.4.1 "Wallets
// MUST NOT send selectively disclosable claims that have not been
// selected"), for a W3C credential the whole of it.
func (qc *QueryChoice) share(cq *dcql.CredentialQuery) error {
	c := qc.Credential.Credential
	if c.Format != dcql.FormatSDJWTVC {
		doc := c.Credential
		if tok, ok := doc.(string); ok {
			_, claims, _ := jwtvc.Peek(tok)
			doc = claims["vc"]
		}
		m, _ := doc.(map[string]any)
		qc.Shared, _ = m["credentialSubject"].(map[string]any)
		return nil
	}
	issued, _ := c.Credential.(string)
	qc.Disclose = requested(cq, qc.ClaimSet)
	pres, err := sdjwt.Present(issued, sdPaths(qc.Disclose), nil)
	if err != nil {
		return fmt.Errorf("credential %d: %w", qc.Credential.N, err)
	}
	all, err := sdjwt.Parse(issued, sdOptions)
	if err != nil {
		return err
	}
	shown, err := sdjwt.Parse(pres, sdOptions)
	if err != nil {
		return err
	}
	qc.Shared = maps.Clone(shown.Claims())
	sent := map[string]bool{}
	for _, d := range shown.Disclosures() {
		sent[d.Raw] = true
	}
	for _, d := range all.Disclosures() {
		if !sent[d.Raw] {
			qc.Withheld = append(qc.Withheld, pathText(d.Path))
		}
	}
	return nil
}

func sdPaths(paths [][]any) []sdjwt.Path {
	out := make([]sdjwt.Path, len(paths))
	for i, p := range paths {
		out[i] = sdjwt.Path(p)
	}
	return out
}

// pathText writes a claims path for the holder: a.b[0].
func pathText(p []any) string {
	var b strings.Builder
	for i, c := range p {
		switch c := c.(type) {
		case string:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(wallet.Clip(c))
		case int:
			fmt.Fprintf(&b, "[%d]", c)
		}
	}
	return b.String()
}

func subjectOf(vc map[string]any) string {
	switch cs := vc["credentialSubject"].(type) {
	case map[string]any:
		id, _ := cs["id"].(string)
		return id
	case []any:
		if len(cs) == 1 {
			m, _ := cs[0].(map[string]any)
			id, _ := m["id"].(string)
			return id
		}
	}
	return ""
}

func typesOf(vc map[string]any) []string {
	switch t := vc["type"].(type) {
	case string:
		return []string{t}
	case []any:
		return stringList(t)
	}
	return nil
}

func stringList(v any) []string {
	var out []string
	switch l := v.(type) {
	case []any:
		for _, e := range l {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	case []string:
		out = l
	}
	return out
}

// tokenJSON decodes a JSON presentation (an ldp_vp) to embed it in the
// vp_token object.
func tokenJSON(s string) (json.RawMessage, error) {
	if !json.Valid([]byte(s)) {
		return nil, errors.New("the presentation is not JSON")
	}
	return json.RawMessage(s), nil
}
