package iota_test

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/iota"
	"github.com/loginwithiota/verifier/internal/testshared"
)

var caseErrors = map[string]error{
	"deactivated": iota.ErrDeactivated,
	"deleted":     iota.ErrDeleted,
	"not found":   did.ErrNotFound,
	"wrong type":  iota.ErrWrongObjectType,
}

// Every case of synthetic_rpc.json, through the JSON-RPC client against the
// fixture nodes: an identity, an unmigrated alias, a migrated alias (by its
// old and its new id), and the failure cases.
func TestResolveFixtures(t *testing.T) {
	f := loadFixtures(t)
	testnet, mainnet := nodes(t, f)
	r := resolverFor(t, testnet, mainnet)
	for _, tc := range f.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			doc, err := r.Resolve(ctx, tc.DID+"#key-1")
			if tc.Error != "" {
				want := caseErrors[tc.Error]
				if want == nil {
					t.Fatalf("fixture names unknown error %q", tc.Error)
				}
				if !errors.Is(err, want) {
					t.Fatalf("Resolve = %v, want %v", err, want)
				}
				for name, other := range caseErrors {
					if other != want && errors.Is(err, other) {
						t.Errorf("error also matches %s: %v", name, err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if doc.ID != tc.DID || !reflect.DeepEqual(doc.Raw, tc.Want) {
				t.Errorf("document:\n got %v\nwant %v", doc.Raw, tc.Want)
			}
		})
	}
	if testnet.Count("iota_getChainIdentifier") != 1 || mainnet.Count("iota_getChainIdentifier") != 1 {
		t.Errorf("chain identifier asked %d and %d times, want once per node",
			testnet.Count("iota_getChainIdentifier"), mainnet.Count("iota_getChainIdentifier"))
	}
	if mainnet.Count("iotax_getDynamicFieldObject") == 0 {
		t.Error("the migration registry was never asked")
	}
}

// The shared iota-synthetic issuer, its packed bytes wrapped in an identity
// object, resolves to the document identity-wasm printed — also through a
// did.Registry, as the verifier will use it.
func TestResolveSharedIssuer(t *testing.T) {
	f := loadFixtures(t)
	testnet, mainnet := nodes(t, f)
	r := resolverFor(t, testnet, mainnet)
	reg := did.NewRegistry()
	reg.Register("iota", r)
	for _, tc := range []struct{ packed, core string }{
		{"issuer-packed.hex", "issuer-did-document.core.json"},
		{"issuer-packed.revoked-5.hex", "issuer-did-document.revoked-5.core.json"},
	} {
		testnet.Set(tag(sharedIssuer), identityObject(tag(sharedIssuer), readHex(t, tc.packed), nil))
		// The registry does not cache; the resolver has no cache configured.
		doc, err := reg.Resolve(ctx, sharedIssuer+"#revocation")
		if err != nil {
			t.Fatal(err)
		}
		if want := testshared.ReadJSON(t, syntheticDir, tc.core); !reflect.DeepEqual(doc.Raw, want) {
			t.Errorf("%s:\n got %v\nwant %v", tc.packed, doc.Raw, want)
		}
	}
}

// A broken packed document on chain gives its own error.
func TestResolveBadPacked(t *testing.T) {
	f := loadFixtures(t)
	testnet, mainnet := nodes(t, f)
	r := resolverFor(t, testnet, mainnet)
	good := readHex(t, "issuer-packed.hex")
	for _, tc := range []struct {
		name string
		edit func([]byte)
		want error
	}{
		{"magic", func(b []byte) { b[2] = 'X' }, iota.ErrBadMagic},
		{"version", func(b []byte) { b[3] = 7 }, iota.ErrUnsupportedVersion},
		{"encoding", func(b []byte) { b[4] = 9 }, iota.ErrUnsupportedEncoding},
		{"length", func(b []byte) { b[5]++ }, iota.ErrBadLength},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := append([]byte(nil), good...)
			tc.edit(b)
			testnet.Set(tag(sharedIssuer), identityObject(tag(sharedIssuer), b, nil))
			if _, err := r.Resolve(ctx, sharedIssuer); !errors.Is(err, tc.want) || !errors.Is(err, did.ErrInvalidDocument) {
				t.Fatalf("Resolve = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestResolveMalformedObjects(t *testing.T) {
	f := loadFixtures(t)
	testnet, mainnet := nodes(t, f)
	r := resolverFor(t, testnet, mainnet)
	id := tag(sharedIssuer)
	good := readHex(t, "issuer-packed.hex")
	for _, tc := range []struct {
		name string
		resp any
		want error
	}{
		{"controlled_value not bytes", identityObject(id, nil, map[string]any{
			"did_doc": map[string]any{"controlled_value": []any{1, 300}}}), did.ErrInvalidDocument},
		{"no did_doc", identityObject(id, good, map[string]any{"did_doc": nil}), did.ErrInvalidDocument},
		{"deleted identity", identityObject(id, good, map[string]any{"deleted": true}), iota.ErrDeleted},
		{"deleted flag not a bool", identityObject(id, good, map[string]any{"deleted_did": "no"}), did.ErrInvalidDocument},
		{"another object's answer", identityObject("0x"+strings.Repeat("1", 64), good, nil), iota.ErrRPC},
		{"no content", map[string]any{"data": map[string]any{"objectId": id}}, iota.ErrRPC},
		{"package object", map[string]any{"data": map[string]any{"objectId": id,
			"content": map[string]any{"dataType": "package", "disassembled": map[string]any{}}}}, iota.ErrWrongObjectType},
		{"unknown error code", map[string]any{"error": map[string]any{"code": "unknown"}}, iota.ErrRPC},
		{"alias without metadata", map[string]any{"data": map[string]any{"objectId": id, "content": map[string]any{
			"dataType": "moveObject", "type": "0x107a::alias::Alias", "fields": map[string]any{"state_metadata": nil}}}}, iota.ErrDeactivated},
		{"alias of another package", map[string]any{"data": map[string]any{"objectId": id, "content": map[string]any{
			"dataType": "moveObject", "type": "0x1234::alias::Alias", "fields": map[string]any{"state_metadata": nil}}}}, iota.ErrWrongObjectType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testnet.Set(id, tc.resp)
			if _, err := r.Resolve(ctx, sharedIssuer); !errors.Is(err, tc.want) {
				t.Fatalf("Resolve = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestIdentityPackages(t *testing.T) {
	f := loadFixtures(t)
	testnet, _ := nodes(t, f)
	c := f.Cases[0] // the testnet identity
	for _, tc := range []struct {
		packages []string
		want     error
	}{
		{[]string{f.IdentityPackage}, nil},
		{[]string{"0x2"}, iota.ErrWrongObjectType},
	} {
		r := newResolver(t, iota.Options{Networks: []iota.Network{{Name: "testnet", Endpoint: testnet.URL, IdentityPackages: tc.packages}}})
		if _, err := r.Resolve(ctx, c.DID); !errors.Is(err, tc.want) {
			t.Errorf("packages %v: Resolve = %v, want %v", tc.packages, err, tc.want)
		}
	}
}

// The endpoint configured for testnet serves mainnet: every testnet DID is
// refused, before any object is read.
func TestNetworkMismatch(t *testing.T) {
	f := loadFixtures(t)
	_, mainnet := nodes(t, f)
	r := newResolver(t, iota.Options{Networks: []iota.Network{{Name: "testnet", Endpoint: mainnet.URL}}})
	for range 2 {
		if _, err := r.Resolve(ctx, f.Cases[0].DID); !errors.Is(err, iota.ErrNetworkMismatch) {
			t.Fatalf("Resolve = %v, want ErrNetworkMismatch", err)
		}
	}
	if n := mainnet.Count("iota_getObject"); n != 0 {
		t.Errorf("%d objects read from the wrong network", n)
	}
}

// Nothing is contacted for a network that is not configured, for a legacy
// DID or for a malformed one.
func TestNothingContactedUnlessConfigured(t *testing.T) {
	f := loadFixtures(t)
	testnet, mainnet := nodes(t, f)
	none := newResolver(t, iota.Options{})
	onlyMainnet := newResolver(t, iota.Options{Networks: []iota.Network{{Name: "iota", Endpoint: mainnet.URL}}})
	for _, tc := range []struct {
		r    *iota.Resolver
		did  string
		want error
	}{
		{none, f.Cases[0].DID, iota.ErrNetworkNotConfigured},
		{none, f.Cases[1].DID, iota.ErrNetworkNotConfigured},
		{onlyMainnet, f.Cases[0].DID, iota.ErrNetworkNotConfigured},
		{onlyMainnet, "did:iota:devnet:0x" + hex64, iota.ErrNetworkNotConfigured},
		{onlyMainnet, "did:iota:smr:0x" + hex64, iota.ErrLegacyDID},
		{onlyMainnet, "did:iota:EvaQhPXXsJsGgxSXGhZGMCvTt63KuAFtaGThx6a5nSpw", iota.ErrLegacyDID},
		{onlyMainnet, "did:iota:0x" + strings.ToUpper(hex64), iota.ErrInvalidTag},
		{onlyMainnet, "did:iota:mainnet12:0x" + hex64, iota.ErrInvalidNetwork},
	} {
		if _, err := tc.r.Resolve(ctx, tc.did); !errors.Is(err, tc.want) {
			t.Errorf("%s: Resolve = %v, want %v", tc.did, err, tc.want)
		}
	}
	if testnet.Total()+mainnet.Total() != 0 {
		t.Errorf("nodes were contacted: testnet %d, mainnet %d calls", testnet.Total(), mainnet.Total())
	}
}

// A DID may name its network by chain identifier; a custom network needs
// its chain identifier configured.
func TestNetworkNames(t *testing.T) {
	f := loadFixtures(t)
	testnet, _ := nodes(t, f)
	c := f.Cases[0]
	byChain := "did:iota:" + iota.ChainTestnet + ":" + tag(c.DID)
	r := newResolver(t, iota.Options{Networks: []iota.Network{{Name: "testnet", Endpoint: testnet.URL}}})
	doc, err := r.Resolve(ctx, byChain)
	if err != nil || doc.ID != byChain {
		t.Fatalf("Resolve(%s) = %v, %v", byChain, doc, err)
	}
	custom := newResolver(t, iota.Options{Networks: []iota.Network{{Name: "mynet", ChainID: iota.ChainTestnet, Endpoint: testnet.URL}}})
	if _, err := custom.Resolve(ctx, "did:iota:mynet:"+tag(c.DID)); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]iota.Network{
		{{Name: "mynet", Endpoint: testnet.URL}},                              // custom without chain id
		{{Name: "testnet"}},                                                   // no endpoint
		{{Name: "testnet", ChainID: "XYZ", Endpoint: testnet.URL}},            // malformed chain id
		{{Name: "testnet", Endpoint: "a"}, {Name: "2304aa97", Endpoint: "b"}}, // the same chain twice
		{{Name: "testnet", Endpoint: "a", MigrationRegistry: "registry"}},
	} {
		if _, err := iota.New(iota.Options{Networks: bad}); err == nil {
			t.Errorf("New(%+v) accepted", bad)
		}
	}
}

func TestCache(t *testing.T) {
	f := loadFixtures(t)
	testnet, _ := nodes(t, f)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	r := newResolver(t, iota.Options{Networks: []iota.Network{{Name: "testnet", Endpoint: testnet.URL}},
		CacheTTL: time.Minute, Now: func() time.Time { return now }})
	c := f.Cases[0]
	for i, want := range []int{1, 1, 2} {
		if i == 2 {
			now = now.Add(time.Minute)
		}
		if _, err := r.Resolve(ctx, c.DID); err != nil {
			t.Fatal(err)
		}
		if got := testnet.Count("iota_getObject"); got != want {
			t.Errorf("after resolve %d: %d objects read, want %d", i+1, got, want)
		}
	}
	// Failures are not cached.
	testnet.Set(tag(c.DID), map[string]any{"error": map[string]any{"code": "deleted"}})
	for range 2 {
		if _, err := r.Resolve(ctx, "did:iota:testnet:0x"+hex64); err == nil {
			t.Fatal("resolved a missing object")
		}
	}
	if got := testnet.Count("iota_getObject"); got != 4 {
		t.Errorf("%d objects read, want 4", got)
	}
}

func TestRPCFailures(t *testing.T) {
	f := loadFixtures(t)
	c := f.Cases[0]
	for _, tc := range []struct {
		name  string
		reply func(w http.ResponseWriter, id []byte) bool
		want  error
	}{
		{"JSON-RPC error", func(w http.ResponseWriter, id []byte) bool {
			testshared.WriteRPCError(w, id, -32000, "node is syncing")
			return true
		}, &iota.RPCError{}},
		{"HTTP 503", func(w http.ResponseWriter, _ []byte) bool {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return true
		}, nil},
		{"not JSON", func(w http.ResponseWriter, _ []byte) bool {
			_, _ = w.Write([]byte("<html>"))
			return true
		}, nil},
		{"wrong id", func(w http.ResponseWriter, _ []byte) bool {
			_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":999,"result":"2304aa97"}`))
			return true
		}, nil},
		{"no result", func(w http.ResponseWriter, id []byte) bool {
			_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":` + string(id) + `}`))
			return true
		}, nil},
		{"too large", func(w http.ResponseWriter, id []byte) bool {
			_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":` + string(id) + `,"result":"` + strings.Repeat("x", 5000) + `"}`))
			return true
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := testshared.NewIOTANode(t, f.Chains["testnet"], f.Objects["testnet"], nil)
			n.SetReply(func(w http.ResponseWriter, id []byte) bool { return tc.reply(w, id) })
			r := newResolver(t, iota.Options{Networks: []iota.Network{{Name: "testnet", Endpoint: n.URL}}, MaxResponseBytes: 4096})
			_, err := r.Resolve(ctx, c.DID)
			if !errors.Is(err, iota.ErrRPC) || !errors.Is(err, did.ErrResolutionFailed) {
				t.Fatalf("Resolve = %v, want ErrRPC and did.ErrResolutionFailed", err)
			}
			if tc.want != nil {
				var rpcErr *iota.RPCError
				if !errors.As(err, &rpcErr) || rpcErr.Code != -32000 {
					t.Errorf("no *RPCError -32000 in %v", err)
				}
			}
			if errors.Is(err, did.ErrNotFound) || errors.Is(err, did.ErrInvalidDocument) {
				t.Errorf("a transport failure says something about the DID: %v", err)
			}
		})
	}
}

func TestResolveContext(t *testing.T) {
	f := loadFixtures(t)
	testnet, mainnet := nodes(t, f)
	r := resolverFor(t, testnet, mainnet)
	cctx, cancel := contextWithCancel()
	cancel()
	if _, err := r.Resolve(cctx, f.Cases[0].DID); err == nil {
		t.Fatal("resolved with a cancelled context")
	}
	// A slow node is cut off by the timeout.
	slow := testshared.NewIOTANode(t, f.Chains["testnet"], nil, nil)
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	slow.SetReply(func(http.ResponseWriter, []byte) bool { <-block; return true })
	r2 := newResolver(t, iota.Options{Networks: []iota.Network{{Name: "testnet", Endpoint: slow.URL}}, Timeout: 50 * time.Millisecond})
	if _, err := r2.Resolve(ctx, f.Cases[0].DID); !errors.Is(err, iota.ErrRPC) {
		t.Fatalf("Resolve = %v, want ErrRPC (timeout)", err)
	}
}
