package status_test

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/status"
)

// FuzzDecodeRevocationBitmap: service endpoints come from DID documents,
// written by whoever controls them. Never a panic; failures are
// ErrMalformed.
func FuzzDecodeRevocationBitmap(f *testing.F) {
	for _, v := range testshared.ReadJSON(f, bitmapDir, "revocation-bitmap-vectors.json")["vectors"].([]any) {
		f.Add(v.(map[string]any)["url"].(string))
	}
	f.Add("data:application/octet-stream;base64,eJxjYGBkYGBgZGBgAAAADAAD")
	f.Fuzz(func(t *testing.T, endpoint string) {
		bm, err := status.DecodeRevocationBitmap(endpoint, 1<<20)
		if err != nil {
			if !errors.Is(err, status.ErrMalformed) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		_ = bm.Contains(5)
	})
}

// FuzzDecodeStatusList: encoded lists come from status list credentials.
func FuzzDecodeStatusList(f *testing.F) {
	f.Add(bitstring(f, 1, 2, 3))
	f.Add("H4sIAAAAAAAC/+3QAQ0AAAwCIN+/9HPoIAIJAAAAAAAAAAAAAABrTgEAAABAnQdQdb5gAEAAAA")
	f.Fuzz(func(t *testing.T, encoded string) {
		bits, err := status.DecodeStatusList(encoded, 1<<20)
		if err != nil {
			if !errors.Is(err, status.ErrMalformed) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		if len(bits) == 0 || len(bits) > 1<<20 {
			t.Fatalf("%d bytes", len(bits))
		}
	})
}

// FuzzCheck: credentialStatus is part of the credential the wallet
// presents. Whatever it holds, Check returns a state, and an error unless
// the credential is Active.
func FuzzCheck(f *testing.F) {
	f.Add([]byte(`{"issuer":"did:iota:EvaQhPXXsJsGgxSXGhZGMCvTt63KuAFtaGThx6a5nSpw","credentialStatus":{"id":"did:iota:EvaQhPXXsJsGgxSXGhZGMCvTt63KuAFtaGThx6a5nSpw#revocation","type":"RevocationBitmap2022","revocationBitmapIndex":"5"}}`))
	f.Add([]byte(`{"credentialStatus":[{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://x/1"}]}`))
	doc := readDoc(f, bitmapDir, "spec-example-issuer-did-document.json")
	c := status.New(status.Options{Resolver: registry(f, doc)})
	f.Fuzz(func(t *testing.T, raw []byte) {
		var cred map[string]any
		if json.Unmarshal(raw, &cred) != nil || cred == nil {
			return
		}
		rep, err := c.Check(ctx, cred)
		if (err == nil) != (rep.State == status.Active) {
			t.Fatalf("state %s with error %v", rep.State, err)
		}
	})
}

// FuzzRevocationBitmapPayload goes past base64 and zlib: the fuzzed bytes
// are the Roaring serialisation itself.
func FuzzRevocationBitmapPayload(f *testing.F) {
	for _, v := range testshared.ReadJSON(f, bitmapDir, "revocation-bitmap-vectors.json")["vectors"].([]any) {
		if bm, err := status.DecodeRevocationBitmap(v.(map[string]any)["url"].(string), 1<<20); err == nil {
			if raw, err := bm.ToBytes(); err == nil {
				f.Add(raw)
			}
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		_, _ = zw.Write(raw)
		_ = zw.Close()
		bm, err := status.DecodeRevocationBitmap("data:application/octet-stream;base64,"+b64url(z.Bytes()), 1<<20)
		if err != nil {
			if !errors.Is(err, status.ErrMalformed) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		_ = bm.Contains(5)
	})
}
