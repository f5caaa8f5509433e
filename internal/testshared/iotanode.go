package testshared

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// IOTANode is an httptest JSON-RPC 2.0 server playing one IOTA network for
// the did:iota resolver: it answers iota_getChainIdentifier, iota_getObject
// (showContent) and iotax_getDynamicFieldObject from the objects and
// dynamic fields it holds, and counts the calls by method.
type IOTANode struct {
	*httptest.Server
	chain   string
	mu      sync.Mutex
	objects map[string]json.RawMessage
	fields  map[string]json.RawMessage // by "parent/name"
	calls   map[string]int
	reply   func(w http.ResponseWriter, id []byte) bool
}

// NewIOTANode starts a node of chain serving copies of objects (by object
// id) and fields (by "parent/name"); it stops with the test.
func NewIOTANode(tb testing.TB, chain string, objects, fields map[string]json.RawMessage) *IOTANode {
	n := &IOTANode{chain: chain, objects: map[string]json.RawMessage{}, fields: map[string]json.RawMessage{}, calls: map[string]int{}}
	for k, v := range objects {
		n.objects[k] = v
	}
	for k, v := range fields {
		n.fields[k] = v
	}
	n.Server = httptest.NewServer(http.HandlerFunc(n.serve))
	tb.Cleanup(n.Close)
	return n
}

// Set makes resp (encoded as JSON) the iota_getObject result of objectID.
func (n *IOTANode) Set(objectID string, resp any) {
	raw, _ := json.Marshal(resp)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.objects[objectID] = raw
}

// SetReply installs a handler that may answer a call instead of the node
// (for broken nodes): it gets every request's id and reports whether it
// answered.
func (n *IOTANode) SetReply(reply func(w http.ResponseWriter, id []byte) bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.reply = reply
}

// Count is the number of calls of method so far.
func (n *IOTANode) Count(method string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.calls[method]
}

// Total is the number of calls of any method so far.
func (n *IOTANode) Total() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	s := 0
	for _, c := range n.calls {
		s += c
	}
	return s
}

func (n *IOTANode) serve(w http.ResponseWriter, r *http.Request) {
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
			WriteRPCError(w, req.ID, -32602, "invalid params")
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
			WriteRPCError(w, req.ID, -32602, "invalid params")
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
		WriteRPCError(w, req.ID, -32601, "method not found")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": result})
}

// WriteRPCError answers a JSON-RPC 2.0 call with an error object.
func WriteRPCError(w http.ResponseWriter, id json.RawMessage, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": id, "error": map[string]any{"code": code, "message": msg}})
}
