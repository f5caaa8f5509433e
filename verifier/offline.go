package verifier

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/loginwithiota/verifier/jwtvc"
)

// CheckRequest is what `verifier verify` checks offline.
type CheckRequest struct {
	// Input is a presentation, an array of presentations (a vp_token), a
	// credential, another signed document, or a wallet's whole answer: a JSON object with vp_token
	// and presentation_submission, or the form-encoded body it posted.
	Input []byte
	// Challenge and Domain are what VP proofs must carry; empty: not
	// checked (the report says so).
	Challenge, Domain string
	// DefinitionID names a configured presentation definition: its proof
	// types and trusted issuers apply, and with a presentation_submission
	// in Input the Presentation Exchange check runs too.
	DefinitionID string
	// Now is the verification time; zero: the verifier's clock.
	Now time.Time
}

// ErrBadInput marks a CheckRequest that cannot be checked at all (not JSON,
// not a presentation or credential, an unknown definition): a usage error,
// not an invalid presentation.
var ErrBadInput = errors.New("cannot check this input")

// Check verifies a presentation or credential with the service's own
// pipeline, but goes on after a failure, and reports every check.
func (v *Verifier) Check(ctx context.Context, req CheckRequest) (*Report, error) {
	var def *compiled
	if req.DefinitionID != "" {
		d, ok := v.defs[req.DefinitionID]
		if !ok {
			ids := make([]string, 0, len(v.defs))
			for id := range v.defs {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			return nil, fmt.Errorf("%w: no presentation definition %q (configured: %v)", ErrBadInput, req.DefinitionID, ids)
		}
		def = d
	}
	in, err := parseCheckInput(req.Input, v.cfg.Limits)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadInput, err)
	}
	now := req.Now
	if now.IsZero() {
		now = v.now()
	}
	c := &checker{}
	keys := v.answerKeys()
	memo := v.newStatusMemo(keys)
	vps := in.answer.presentations
	if req.Challenge == "" && len(vps) > 0 {
		c.skip(StepVPProof, "presentations", "challenge", "no --challenge given: the proofs' challenge is not checked")
	}
	if req.Domain == "" && len(vps) > 0 {
		c.skip(StepVPProof, "presentations", "domain", "no --domain given: the proofs' domain is not checked")
	}
	switch {
	case def == nil:
		c.skip(StepPEX, "presentation_submission", "definition", "no --definition given")
	case def.query == nil:
		c.skip(StepPEX, "presentation_submission", "definition", def.id()+" has no presentation definition (a DCQL query only)")
	case in.submission == nil:
		c.skip(StepPEX, "presentation_submission", "definition", "the input has no presentation_submission to evaluate against "+def.id())
	default:
		v.checkSubmission(ctx, c, def, in, memo)
	}
	p := checkParams{challenge: req.Challenge, domain: req.Domain, def: def, now: now, status: memo, keys: keys}
	result := v.runChecks(ctx, c, p, allChecks(c, in.answer), in.bare)
	return c.report(in.kind, result), nil
}

// checkSubmission is the query step on a recorded answer.
func (v *Verifier) checkSubmission(ctx context.Context, c *checker, def *compiled, in *checkInput, memo *statusMemo) {
	const target = "presentation_submission"
	_, e := def.query.match(ctx, in.answer, queryInput{submission: string(in.submission), status: memo})
	if e != nil {
		check := "input_descriptors"
		switch e.Reason() {
		case ReasonMalformedSubmission:
			check = "well_formed"
		case ReasonDefinitionMismatch:
			check = "definition_id"
		}
		c.fail(StepPEX, target, check, e)
		return
	}
	c.pass(StepPEX, target, "input_descriptors", "every input descriptor of "+def.id()+" is satisfied")
}

// checkInput is a parsed CheckRequest.Input.
type checkInput struct {
	kind       string
	answer     *answer            // the presentations (none for a lone credential)
	bare       []*credentialCheck // credentials or documents checked on their own
	submission []byte
}

func parseCheckInput(raw []byte, lim Limits) (*checkInput, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, errors.New("empty input")
	}
	if looksLikeJWT(string(raw)) {
		return fromJWT(string(raw), lim)
	}
	if raw[0] != '{' && raw[0] != '[' {
		return parseForm(raw, lim)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	if m, ok := doc.(map[string]any); ok {
		if tok, ok := m["vp_token"]; ok {
			return fromAnswer(tok, m["presentation_submission"], lim)
		}
		switch {
		case hasType(m, "VerifiablePresentation"):
		case hasType(m, "VerifiableCredential"):
			return &checkInput{kind: "credential", answer: emptyAnswer(m), bare: []*credentialCheck{{target: "credential 0", format: FormatLDPVC, ldp: m, vc: m}}}, nil
		case m["verifiableCredential"] == nil:
			// Neither: a signed document (a DID document, a test vector),
			// checked as an assertion of its signer.
			return &checkInput{kind: "document", answer: emptyAnswer(m), bare: []*credentialCheck{{target: "credential 0", ldp: m, vc: m}}}, nil
		}
	}
	return fromToken(doc, lim)
}

func emptyAnswer(token any) *answer {
	return &answer{token: token, tokens: map[string]*jwtvc.Token{}}
}

// fromJWT reads a bare JWT: a presentation (vp claim) or a credential.
func fromJWT(token string, lim Limits) (*checkInput, error) {
	a := emptyAnswer(token)
	t, err := a.parseJWT(token)
	if err != nil {
		return nil, fmt.Errorf("not a JWT: %v", jwtvc.Code(err))
	}
	if t.IsPresentation() {
		return fromToken(token, lim)
	}
	return &checkInput{kind: "credential", answer: a, bare: []*credentialCheck{{target: "credential 0", format: jwtvc.FormatJWTVC, jwt: t}}}, nil
}

// parseForm reads a captured application/x-www-form-urlencoded answer.
func parseForm(raw []byte, lim Limits) (*checkInput, error) {
	form, err := url.ParseQuery(string(raw))
	if err != nil || form.Get("vp_token") == "" {
		return nil, errors.New("neither JSON, a JWT, nor a form-encoded answer with vp_token")
	}
	var sub any
	if s := form.Get("presentation_submission"); s != "" {
		sub = s
	}
	return fromAnswer(form.Get("vp_token"), sub, lim)
}

// fromAnswer reads vp_token and presentation_submission, each either text
// (as posted: JSON, or a presentation JWT) or already decoded.
func fromAnswer(tok, sub any, lim Limits) (*checkInput, error) {
	if s, ok := tok.(string); ok {
		token, _, err := parseVPToken(s)
		if err != nil {
			return nil, fmt.Errorf("vp_token: %v", err)
		}
		tok = token
	}
	in, err := fromToken(tok, lim)
	if err != nil {
		return nil, err
	}
	switch s := sub.(type) {
	case nil:
	case string:
		in.submission = []byte(s)
	default:
		in.submission, _ = json.Marshal(s)
	}
	return in, nil
}

func fromToken(tok any, lim Limits) (*checkInput, error) {
	raw, err := json.Marshal(tok)
	if err != nil {
		return nil, err
	}
	if s, ok := tok.(string); ok {
		raw = []byte(s)
	}
	a, e := decodeAnswer(string(raw), lim)
	if e != nil {
		if e.Reason() == ReasonTooLarge {
			return nil, errors.New(e.Description())
		}
		return nil, errors.New("want a presentation (ldp_vp or jwt_vp_json), an array of them, a credential, or a wallet answer with vp_token")
	}
	kind := "presentation"
	if _, isList := tok.([]any); isList {
		kind = "presentations"
	}
	return &checkInput{kind: kind, answer: a}, nil
}

func hasType(m map[string]any, typ string) bool {
	return slices.Contains(stringsOf(m["type"]), typ)
}
