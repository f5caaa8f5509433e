package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/session"
)

// iotaLogin is testdata/iota/synthetic_login.json: presentations made by
// IOTA's own library for one nonce and audience (see the README there).
type iotaLogin struct {
	Nonce         string `json:"nonce"`
	Audience      string `json:"audience"`
	OtherAudience string `json:"otherAudience"`
	DIDs          struct {
		Issuer, AliasIssuer, AliasMigratedTo, JWKHolder, IOTAHolder string
	} `json:"dids"`
	RPC struct {
		Chains        map[string]string                     `json:"chains"`
		Objects       map[string]map[string]json.RawMessage `json:"objects"`
		DynamicFields map[string]map[string]json.RawMessage `json:"dynamicFields"`
	} `json:"rpc"`
	Documents map[string]map[string]any `json:"documents"`
	Tokens    map[string]string         `json:"tokens"`
}

func loadIOTALogin(t *testing.T) *iotaLogin {
	t.Helper()
	return testshared.DecodeFile[*iotaLogin](t, filepath.Join("testdata", "iota", "synthetic_login.json"))
}

// iotaService is a fixtureService on a config of the test's whose browser
// does not follow redirects.
type iotaService struct{ *fixtureService }

func startIOTAService(t *testing.T, cfg string) *iotaService {
	t.Helper()
	s := startFixtureService(t, "iota", cfg)
	s.site.http.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &iotaService{s}
}

// jwtSubmission is the presentation_submission of one jwt_vp_json
// presentation whose credential i answers descriptor id.
func jwtSubmission(definition, id string, i int) string {
	return fmt.Sprintf(`{"id":"s","definition_id":%q,"descriptor_map":[{"id":%q,"format":"jwt_vp_json","path":"$",
		"path_nested":{"id":%q,"format":"jwt_vc_json","path":"$.vp.verifiableCredential[%d]"}}]}`, definition, id, id, i)
}

// outcome is what a wallet's answer came to.
type outcome struct {
	code   int            // HTTP status of the answer
	reason string         // the error reason, when rejected
	status string         // the session's status afterwards
	result map[string]any // the session's result as JSON, when verified
	st     status
}

// answer starts a login for definition in flow, gives it nonce (unless
// empty), posts vpToken with the submission as the wallet would, and
// reads the session.
func (s *iotaService) answer(definition, flow, nonce, vpToken, submission string) outcome {
	s.t.Helper()
	return answerOn(s.t, s.site, s.store, definition, flow, nonce, func(string) string { return vpToken }, submission)
}

// answerOn is answer for any service: vpToken makes the token for the
// session's nonce (after store, if not nil, gave it nonce).
func answerOn(t *testing.T, st *site, store session.Store, definition, flow, nonce string, vpToken func(nonce string) string, submission string) outcome {
	t.Helper()
	c := st.start(definition, flow)
	u, err := url.Parse(c.AuthorizationRequest)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("state") == "" { // a same-device link to the wallet URL carries the request the same way
		t.Fatalf("no state in %s", c.AuthorizationRequest)
	}
	sessionNonce := q.Get("nonce")
	if store != nil && nonce != "" {
		if _, err := store.Update(context.Background(), c.ID, func(sess session.Session) (session.Session, error) {
			sess.Nonce = nonce
			return sess, nil
		}); err != nil {
			t.Fatal(err)
		}
		sessionNonce = nonce
	}
	form := url.Values{"vp_token": {vpToken(sessionNonce)}, "presentation_submission": {submission}, "state": {q.Get("state")}}
	code, _, body := st.do("POST", "/oid4vp/response", "application/x-www-form-urlencoded", form.Encode(), nil)
	out := outcome{code: code}
	if code >= 400 {
		var e oauthError
		_ = json.Unmarshal(body, &e)
		out.reason = e.Reason
		if out.reason == "" {
			out.reason = string(body)
		}
	}
	code, _, body = st.do("GET", c.StatusURL, "", "", map[string]string{"Authorization": "Bearer " + c.StatusToken})
	if code != http.StatusOK {
		t.Fatalf("status: %d %s", code, body)
	}
	var raw struct {
		Result map[string]any `json:"result"`
	}
	if err := json.Unmarshal(body, &out.st); err != nil || json.Unmarshal(body, &raw) != nil {
		t.Fatalf("status: %s", body)
	}
	out.status, out.result = out.st.Status, raw.Result
	return out
}
