package verifier

import (
	"context"
	"errors"

	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/oid4vp"
	"github.com/loginwithiota/verifier/session"
)

// Answers of the 1.0 dialects: encrypted responses (direct_post.jwt) and
// which query an answer is matched by.

// responseState is the state that names r's login: the form's, or for
// an encrypted response its JWE's kid (the request published its key
// under the login's state), which is read before anything is decrypted.
func responseState(r Response) (string, *oauth.Error) {
	if r.Encrypted == "" {
		if r.State == "" {
			return "", invalidRequest(ReasonMissingParameter, "state is required")
		}
		return r.State, nil
	}
	if r.VPToken != "" || r.PresentationSubmission != "" {
		return "", invalidRequest(ReasonResponseMalformed, "an encrypted response carries its parameters inside the response JWE, not beside it")
	}
	h, err := oid4vp.PeekResponse(r.Encrypted)
	if err != nil {
		return "", invalidRequest(ReasonResponseMalformed, "response is not a JWE compact serialisation")
	}
	state := h.Kid
	if !h.JWE {
		// A JWT (signed, or alg none) where a JWE belongs: its payload's
		// state finds the login it fails.
		state = h.State
	}
	if state == "" {
		return "", invalidRequest(ReasonResponseMalformed, "response names no key (kid) of a request of this verifier")
	}
	return state, nil
}

// openResponse decrypts an encrypted response with s's key and returns
// the parameters inside, which must be s's (state).
func (v *Verifier) openResponse(s session.Session, compact string) (Response, *oauth.Error) {
	if len(s.ResponseKey) == 0 {
		return Response{}, invalidRequest(ReasonResponseDecrypt, "this login's request asked for no encrypted response")
	}
	key, err := oid4vp.ParseResponseKey(s.ResponseKey)
	if err != nil {
		return Response{}, serverError(err)
	}
	plain, err := oid4vp.OpenResponse(compact, key, v.cfg.V1.Enc)
	switch {
	case errors.Is(err, oid4vp.ErrResponseAlg):
		return Response{}, invalidRequest(ReasonResponseAlg, "the response is not a JWE with alg ECDH-ES (1.0 §8.3: an unsigned, encrypted JWT to the request's key)").WithCause(err)
	case errors.Is(err, oid4vp.ErrResponseEnc):
		return Response{}, invalidRequest(ReasonResponseEnc, "the response's enc is none of those the request published").WithCause(err)
	case errors.Is(err, oid4vp.ErrResponseDecrypt):
		return Response{}, invalidRequest(ReasonResponseDecrypt, "the response does not decrypt with this login's key (encrypted to another key, or altered)").WithCause(err)
	case err != nil:
		return Response{}, invalidRequest(ReasonResponseMalformed, "the response is not a JWE this verifier can read").WithCause(err)
	}
	a, err := oid4vp.ParseJSONResponse(plain)
	if err != nil {
		return Response{}, invalidRequest(ReasonResponseMalformed, "the decrypted response is not the response's parameters as a JSON object").WithCause(err)
	}
	if !constantEqual(a.State, s.State) {
		return Response{}, invalidRequest(ReasonStateMismatch, "the state inside the response is not this login's")
	}
	return Response{VPToken: a.VPToken, PresentationSubmission: a.PresentationSubmission, State: a.State,
		Error: a.Error, ErrorDescription: a.ErrorDescription, encrypted: true}, nil
}

// refuse fails s with e, before its answer is verified.
func (v *Verifier) refuse(ctx context.Context, s session.Session, e *oauth.Error) (Outcome, error) {
	e = scrub(e, v.log)
	failure := &session.Error{Code: string(e.Code()), Description: e.Description(), Reason: e.Reason()}
	out, err := v.finish(ctx, s, nil, failure, "")
	if err != nil {
		return Outcome{}, err
	}
	v.observeCompletion(ctx, out.Session, false)
	v.log.Log(ctx, e.Level(), "session failed", "session", s.ID, "error", e)
	return out, e
}

// queryOf is the query r is matched by on s: the DCQL query for an
// answer to a 1.0 request (a DCQL vp_token, no presentation_submission);
// the presentation definition for the others, and for the draft-20
// request the one-QR dialect serves to a wallet that GETs it (whose
// answer carries a presentation_submission).
func (v *Verifier) queryOf(s session.Session, def *compiled, r Response) (query, bool, *oauth.Error) {
	d, err := dialectOf(s)
	if err != nil {
		return nil, false, serverError(err)
	}
	useDCQL := oid4vp.IsV1(d) && def.dcql != nil && (r.PresentationSubmission == "" || !oid4vp.ServesDraft20(d))
	if !useDCQL {
		if def.query == nil {
			return nil, false, serverError(errors.New("a PEX answer for a definition without a presentation definition"))
		}
		return def.query, false, nil
	}
	// 1.0 §8.3.1: the response "containing the JWT" is what a request for
	// direct_post.jwt gets; "If a Wallet is unable to generate an
	// encrypted response, it MAY send an error response without
	// encryption" — an error, not credentials.
	if v.cfg.V1.Encryption == EncryptRequired && !r.encrypted {
		return nil, false, invalidRequest(ReasonResponseNotEncrypted, "this verifier accepts OID4VP 1.0 answers encrypted only (direct_post.jwt)")
	}
	return def.dcql, true, nil
}
