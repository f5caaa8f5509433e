package did_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/iota"
	"github.com/loginwithiota/verifier/did/jwk"
	"github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/did/web"
)

// A failed resolution names the DID once: the Registry names it, the
// method resolvers (and the Cache between) say what went wrong without
// naming it again.
func TestResolutionErrorsNameTheDIDOnce(t *testing.T) {
	iotaRes, err := iota.New(iota.Options{})
	if err != nil {
		t.Fatal(err)
	}
	reg := did.NewRegistry()
	reg.Register("key", key.New())
	reg.Register("jwk", jwk.New())
	reg.Register("web", did.NewCache(web.New(web.Options{Timeout: time.Second}), did.CacheOptions{}))
	reg.Register("iota", iotaRes)
	for _, id := range []string{
		"did:key:zBAD",
		"did:jwk:!!!",
		"did:jwk:eyJmb28iOjF9",
		"did:web:exa%2Fmple.com",
		"did:web:127.0.0.1%3A1",
		"did:iota:0x" + strings.Repeat("ab", 32),
		"did:iota:main:shard:tag",
		"did:unknown:x",
		"not-a-did",
	} {
		_, err := reg.Resolve(context.Background(), id)
		if err == nil {
			t.Errorf("%s resolved", id)
			continue
		}
		if n := strings.Count(err.Error(), id); n != 1 {
			t.Errorf("%s: named %d times in %q", id, n, err)
		}
	}
}
