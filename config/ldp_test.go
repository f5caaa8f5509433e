package config

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLDPDefaults(t *testing.T) {
	c, err := Parse([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.DIDs.Methods, []string{"key", "jwk"}) || c.DIDs.CacheTTL.Std() != 5*time.Minute ||
		c.DIDs.Web.AllowPrivateAddresses || c.DIDs.Web.MaxBytes != 64<<10 || len(c.JSONLD.AllowRemote) != 0 ||
		c.JSONLD.FetchTimeout.Std() != 5*time.Second || c.Proofs.AllowMissingProofPurpose {
		t.Errorf("defaults: %+v %+v %+v", c.DIDs, c.JSONLD, c.Proofs)
	}
}

func TestLDPSections(t *testing.T) {
	c, err := Parse([]byte(`jsonld:
  contexts: {"https://example.org/ctx/v1": ctx.jsonld}
  allow_remote: [https://contexts.example/]
dids:
  methods: [key, web]
  web: {allow_private_addresses: true}
  pinned:
    - {file: issuer.json, any_relationship: true}
    - document: {id: "did:example:1"}
  pinned_dir: trusted
proofs:
  allow_missing_proof_purpose: true
` + minimal))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.DIDs.Pinned) != 2 || !c.DIDs.Pinned[0].AnyRelationship || c.DIDs.Pinned[1].Document["id"] != "did:example:1" ||
		!c.DIDs.Web.AllowPrivateAddresses || c.DIDs.PinnedDir != "trusted" || !c.Proofs.AllowMissingProofPurpose {
		t.Errorf("parsed %+v %+v", c.DIDs, c.Proofs)
	}
	for name, tc := range map[string]struct{ yaml, want string }{
		"context URL":      {"jsonld: {contexts: {\"not a url\": f}}\n", "jsonld.contexts"},
		"allow-list":       {"jsonld: {allow_remote: [\"ftp://x/\"]}\n", "jsonld.allow_remote"},
		"method name":      {"dids: {methods: [Web]}\n", "dids.methods"},
		"pinned both":      {"dids: {pinned: [{file: a, document: {id: x}}]}\n", "dids.pinned[0]"},
		"pinned neither":   {"dids: {pinned: [{any_relationship: true}]}\n", "dids.pinned[0]"},
		"unknown key":      {"dids: {cache: 1}\n", "cache"},
		"negative timeout": {"jsonld: {fetch_timeout: -1s}\n", "jsonld"},
	} {
		_, err := Parse([]byte(tc.yaml + minimal))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error naming %s", name, err, tc.want)
		}
	}
}
