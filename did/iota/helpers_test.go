package iota_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/iota"
)

var syntheticDir = filepath.Join("..", "..", "..", "shared", "vectors", "iota-synthetic")

// fixtures is testdata/synthetic_rpc.json (see testdata/README.md).
type fixtures struct {
	Chains          map[string]string                     `json:"chains"`
	IdentityPackage string                                `json:"identityPackage"`
	MainnetRegistry string                                `json:"mainnetRegistry"`
	Objects         map[string]map[string]json.RawMessage `json:"objects"`
	DynamicFields   map[string]map[string]json.RawMessage `json:"dynamicFields"`
	Cases           []struct {
		Name  string         `json:"name"`
		DID   string         `json:"did"`
		Want  map[string]any `json:"want"`
		Error string         `json:"error"`
	} `json:"cases"`
}

func loadFixtures(t testing.TB) *fixtures {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "synthetic_rpc.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f fixtures
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

// node is an httptest JSON-RPC server playing one IOTA network: it answers
// iota_getChainIdentifier, iota_getObject and iotax_getDynamicFieldObject
// from fixtures, in JSON-RPC 2.0 envelopes, and counts the calls.
type node struct {
	*httptest.Server
	chain   string
	mu      sync.Mutex
	objects map[string]json.RawMessage
	fields  map[string]json.RawMessage
	calls   map[string]int
	// reply, when set, replaces the handler's answer (for broken nodes).
	reply func(w http.ResponseWriter, id []byte) bool
}

func newNode(t testing.TB, chain string, objects, fields map[string]json.RawMessage) *node {
	n := &node{chain: chain, objects: map[string]json.RawMessage{}, fields: map[string]json.RawMessage{}, calls: map[string]int{}}
	for k, v := range objects {
		n.objects[k] = v
	}
	for k, v := range fields {
		n.fields[k] = v
	}
	n.Server = httptest.NewServer(http.HandlerFunc(n.serve))
	t.Cleanup(n.Close)
	return n
}

func (n *node) set(objectID string, resp any) {
	raw, _ := json.Marshal(resp)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.objects[objectID] = raw
}

func (n *node) count(method string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.calls[method]
}

func (n *node) total() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	s := 0
	for _, c := range n.calls {
		s += c
	}
	return s
}

func (n *node) serve(w http.ResponseWriter, r *http.Request) {
	var req struct {
		JSONRPC string            `json:"jsonrpc"`
		ID      json.RawMessage   `json:"id"`
		Method  string            `json:"method"`
		Params  []json.RawMessage `json:"params"`
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" ||
		json.NewDecoder(r.Body).Decode(&req) != nil || req.JSONRPC != "2.0" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	n.mu.Lock()
	n.calls[req.Method]++
	reply := n.reply
	n.mu.Unlock()
	if reply != nil && reply(w, req.ID) {
		return
	}
	var result any
	switch req.Method {
	case "iota_getChainIdentifier":
		result = n.chain
	case "iota_getObject":
		var id string
		var opts struct {
			ShowContent bool `json:"showContent"`
		}
		if len(req.Params) != 2 || json.Unmarshal(req.Params[0], &id) != nil ||
			json.Unmarshal(req.Params[1], &opts) != nil || !opts.ShowContent {
			rpcError(w, req.ID, -32602, "invalid params")
			return
		}
		n.mu.Lock()
		obj, ok := n.objects[id]
		n.mu.Unlock()
		if !ok {
			result = map[string]any{"error": map[string]any{"code": "notExists", "object_id": id}}
		} else {
			result = obj
		}
	case "iotax_getDynamicFieldObject":
		var parent string
		var name struct{ Type, Value string }
		if len(req.Params) != 2 || json.Unmarshal(req.Params[0], &parent) != nil ||
			json.Unmarshal(req.Params[1], &name) != nil || name.Type != "0x2::object::ID" {
			rpcError(w, req.ID, -32602, "invalid params")
			return
		}
		n.mu.Lock()
		obj, ok := n.fields[parent+"/"+name.Value]
		n.mu.Unlock()
		if !ok {
			result = map[string]any{"error": map[string]any{"code": "dynamicFieldNotFound", "parent_object_id": parent}}
		} else {
			result = obj
		}
	default:
		rpcError(w, req.ID, -32601, "method not found")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": result})
}

func rpcError(w http.ResponseWriter, id json.RawMessage, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": id, "error": map[string]any{"code": code, "message": msg}})
}

// nodes starts the fixture networks: testnet and mainnet.
func nodes(t testing.TB, f *fixtures) (testnet, mainnet *node) {
	return newNode(t, f.Chains["testnet"], f.Objects["testnet"], nil),
		newNode(t, f.Chains["mainnet"], f.Objects["mainnet"], f.DynamicFields["mainnet"])
}

func newResolver(t testing.TB, opts iota.Options) *iota.Resolver {
	t.Helper()
	r, err := iota.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func resolverFor(t testing.TB, testnet, mainnet *node) *iota.Resolver {
	return newResolver(t, iota.Options{Networks: []iota.Network{
		{Name: "testnet", Endpoint: testnet.URL},
		{Name: "iota", Endpoint: mainnet.URL},
	}})
}

// identityObject wraps packed document bytes in an iota_getObject reply for
// an identity::Identity object, the way the IOTA JSON-RPC serializer shows
// it (nested structs as {"type","fields"}, vector<u8> as numbers).
func identityObject(objectID string, packed []byte, extra map[string]any) map[string]any {
	var cv any
	if packed != nil {
		nums := make([]int, len(packed))
		for i, b := range packed {
			nums[i] = int(b)
		}
		cv = nums
	}
	fields := map[string]any{
		"id": map[string]any{"id": objectID},
		"did_doc": map[string]any{
			"type": "0x2227::multicontroller::Multicontroller<0x1::option::Option<vector<u8>>>",
			"fields": map[string]any{
				"controlled_value": cv,
				"threshold":        "1",
				"controllers": map[string]any{"type": "0x2::vec_map::VecMap<0x2::object::ID, u64>",
					"fields": map[string]any{"contents": []any{}}},
			},
		},
		"legacy_id": nil, "created": "1767225600000", "updated": "1767225600000", "version": "1",
		"deleted": false, "deleted_did": false,
	}
	for k, v := range extra {
		fields[k] = v
	}
	typ := "0x2227::identity::Identity"
	return map[string]any{"data": map[string]any{"objectId": objectID, "version": "3", "digest": "x", "type": typ,
		"content": map[string]any{"dataType": "moveObject", "type": typ, "hasPublicTransfer": false, "fields": fields}}}
}

func readHex(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(syntheticDir, name))
	if err != nil {
		t.Fatal(err)
	}
	b, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readCore(t testing.TB, name string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(syntheticDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// sharedIssuer is the DID of iota-synthetic/issuer-did-document.json.
const sharedIssuer = "did:iota:testnet:0x3e1dd6cf697be348f9bd82ca4ac51c88e8454fb9cd181c94f41ec07a3695ba0b"

func tag(didStr string) string { return didStr[strings.LastIndexByte(didStr, ':')+1:] }

var ctx = context.Background()

var _ did.Resolver = (*iota.Resolver)(nil)

func contextWithCancel() (context.Context, context.CancelFunc) { return context.WithCancel(ctx) }
