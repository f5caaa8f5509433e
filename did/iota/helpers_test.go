package iota_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/iota"
	"github.com/loginwithiota/verifier/internal/testshared"
)

// syntheticDir is the iota-synthetic vector folder, relative to the shared
// folder.
var syntheticDir = filepath.Join("vectors", "iota-synthetic")

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
	return testshared.DecodeFile[*fixtures](t, filepath.Join("testdata", "synthetic_rpc.json"))
}

// nodes starts the fixture networks: testnet and mainnet.
func nodes(t testing.TB, f *fixtures) (testnet, mainnet *testshared.IOTANode) {
	return testshared.NewIOTANode(t, f.Chains["testnet"], f.Objects["testnet"], nil),
		testshared.NewIOTANode(t, f.Chains["mainnet"], f.Objects["mainnet"], f.DynamicFields["mainnet"])
}

func newResolver(t testing.TB, opts iota.Options) *iota.Resolver {
	t.Helper()
	r, err := iota.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func resolverFor(t testing.TB, testnet, mainnet *testshared.IOTANode) *iota.Resolver {
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

// readHex decodes the hex file name of iota-synthetic.
func readHex(t testing.TB, name string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimSpace(string(testshared.Read(t, syntheticDir, name))))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sharedIssuer is the DID of iota-synthetic/issuer-did-document.json.
const sharedIssuer = "did:iota:testnet:0x3e1dd6cf697be348f9bd82ca4ac51c88e8454fb9cd181c94f41ec07a3695ba0b"

func tag(didStr string) string { return didStr[strings.LastIndexByte(didStr, ':')+1:] }

var ctx = context.Background()

var _ did.Resolver = (*iota.Resolver)(nil)

func contextWithCancel() (context.Context, context.CancelFunc) { return context.WithCancel(ctx) }
