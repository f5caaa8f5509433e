package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/session"
	sessionredis "github.com/loginwithiota/verifier/session/redis"
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
	var l iotaLogin
	if err := json.Unmarshal(mustRead(t, filepath.Join("testdata", "iota", "synthetic_login.json")), &l); err != nil {
		t.Fatal(err)
	}
	return &l
}

// iotaNode is an httptest JSON-RPC server playing one IOTA network from
// the fixtures: iota_getChainIdentifier, iota_getObject (showContent) and
// iotax_getDynamicFieldObject, in JSON-RPC 2.0 envelopes, counting calls.
type iotaNode struct {
	*httptest.Server
	chain   string
	objects map[string]json.RawMessage
	fields  map[string]json.RawMessage
	mu      sync.Mutex
	calls   map[string]int
}

func newIOTANode(t *testing.T, chain string, objects, fields map[string]json.RawMessage) *iotaNode {
	n := &iotaNode{chain: chain, objects: objects, fields: fields, calls: map[string]int{}}
	n.Server = httptest.NewServer(http.HandlerFunc(n.serve))
	t.Cleanup(n.Close)
	return n
}

func (n *iotaNode) count(method string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.calls[method]
}

func (n *iotaNode) total() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	s := 0
	for _, c := range n.calls {
		s += c
	}
	return s
}

func (n *iotaNode) serve(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ID     json.RawMessage   `json:"id"`
		Method string            `json:"method"`
		Params []json.RawMessage `json:"params"`
	}
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&req) != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	n.mu.Lock()
	n.calls[req.Method]++
	n.mu.Unlock()
	var result any
	switch req.Method {
	case "iota_getChainIdentifier":
		result = n.chain
	case "iota_getObject":
		var id string
		if len(req.Params) < 1 || json.Unmarshal(req.Params[0], &id) != nil {
			http.Error(w, "bad params", http.StatusBadRequest)
			return
		}
		if obj, ok := n.objects[id]; ok {
			result = obj
		} else {
			result = map[string]any{"error": map[string]any{"code": "notExists", "object_id": id}}
		}
	case "iotax_getDynamicFieldObject":
		var parent string
		var name struct{ Type, Value string }
		if len(req.Params) != 2 || json.Unmarshal(req.Params[0], &parent) != nil || json.Unmarshal(req.Params[1], &name) != nil {
			http.Error(w, "bad params", http.StatusBadRequest)
			return
		}
		if obj, ok := n.fields[parent+"/"+name.Value]; ok {
			result = obj
		} else {
			result = map[string]any{"error": map[string]any{"code": "dynamicFieldNotFound", "parent_object_id": parent}}
		}
	default:
		result = nil
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": result})
}

// iotaService is the whole program on a config of the test's, with a
// Redis store the test reaches (to give a started session the fixtures'
// nonce) and https://verifier.example as its public URL (so client_id is
// the fixtures' audience).
type iotaService struct {
	t     *testing.T
	p     *Program
	site  *site
	store *sessionredis.Store
}

func startIOTAService(t *testing.T, cfg string) *iotaService {
	t.Helper()
	requireRedis(t)
	prefix := "test:iota:" + randomHex(6) + ":"
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("redis:\n  key_prefix: \""+prefix+"\"\n"+cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := Open(context.Background(), Options{ConfigPath: path, Listen: "127.0.0.1:0",
		PublicURL: "https://verifier.example", RedisURL: "redis://" + redisAddr() + "/0"}, io.Discard)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	client := goredis.NewClient(&goredis.Options{Addr: redisAddr()})
	t.Cleanup(func() { client.Close() })
	jar, _ := cookiejar.New(nil)
	return &iotaService{t: t, p: p, store: sessionredis.New(client, sessionredis.Options{Prefix: prefix}),
		site: &site{t: t, base: "http://" + p.Addr(), http: &http.Client{Jar: jar, Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}}
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
