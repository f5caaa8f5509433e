package config

import (
	"strings"
	"testing"
	"time"
)

func TestIOTAAndStatusDefaults(t *testing.T) {
	c, err := Parse([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	io := c.DIDs.IOTA
	if len(io.Networks) != 3 || io.Networks[0].Name != "iota" || io.Networks[0].Endpoint != "https://api.mainnet.iota.cafe" ||
		io.Timeout.Std() != 10*time.Second || io.MaxBytes != 4<<20 || io.CacheTTL.Std() != 5*time.Minute {
		t.Errorf("dids.iota defaults: %+v", io)
	}
	for _, m := range c.DIDs.Methods {
		if m == "iota" {
			t.Error("did:iota is on by default")
		}
	}
	s := c.Status
	if s.FailOpen || s.AllowPrivateAddresses || s.AllowHTTP || s.AllowForeignListIssuer || s.CAFile != "" ||
		s.FetchTimeout.Std() != 10*time.Second || s.MaxListBytes != 1<<20 || s.CacheTTL.Std() != 5*time.Minute {
		t.Errorf("status defaults: %+v", s)
	}
}

func TestIOTAAndStatusSections(t *testing.T) {
	c, err := Parse([]byte(`dids:
  methods: [key, jwk, iota]
  iota:
    networks:
      - {name: testnet, endpoint: "http://127.0.0.1:9000"}
      - {name: mynet, chain_id: 0a1b2c3d, endpoint: "https://node.example", identity_packages: ["0x2"]}
    timeout: 3s
status:
  fail_open: true
  ca_file: ca.pem
  allow_private_addresses: true
` + minimal))
	if err != nil {
		t.Fatal(err)
	}
	if n := c.DIDs.IOTA.Networks; len(n) != 2 || n[1].ChainID != "0a1b2c3d" || n[1].IdentityPackages[0] != "0x2" || c.DIDs.IOTA.Timeout.Std() != 3*time.Second {
		t.Errorf("networks %+v", c.DIDs.IOTA)
	}
	if !c.Status.FailOpen || c.Status.CAFile != "ca.pem" || !c.Status.AllowPrivateAddresses {
		t.Errorf("status %+v", c.Status)
	}
	for name, tc := range map[string]struct{ cfg, want string }{
		"endpoint not a URL":   {"dids:\n  iota:\n    networks: [{name: testnet, endpoint: node}]\n", "line 3: dids.iota.networks[0].endpoint: want an http(s) URL"},
		"network without name": {"dids:\n  iota:\n    networks: [{endpoint: \"https://n.example\"}]\n", "a name or a chain_id is required"},
		"negative cache":       {"dids:\n  iota:\n    cache_ttl: -1s\n", "dids.iota"},
		"status timeout":       {"status:\n  fetch_timeout: -1s\n", "status: fetch_timeout"},
		"unknown status key":   {"status:\n  failopen: true\n", "failopen"},
	} {
		if _, err := Parse([]byte(tc.cfg + minimal)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}
