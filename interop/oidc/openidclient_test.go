package oidcinterop

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/oidcbridge/oidctest"
)

// requireNode skips without node and the installed project on a
// workstation, and fails in CI (CI set), which must never pass by skipping.
func requireNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join("node_modules", "openid-client", "package.json"))
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node and interop/oidc/node_modules are required in CI (npm ci in interop/oidc): %v", err)
		}
		t.Skipf("no node or no node_modules (run npm ci in interop/oidc): %v", err)
	}
	return node
}

// browser is the Go side of login.mjs: given an authorization URL, it goes
// through the login page with a test wallet and answers the callback URL.
func browser(t *testing.T, pp oidctest.People) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct{ URL string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		back, err := oidctest.NewBrowser(pp.Wallet).Login(r.Context(), req.URL)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"callback": back.String()})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// result is what login.mjs prints.
type result struct {
	Claims     map[string]any `json:"claims"`
	Userinfo   map[string]any `json:"userinfo"`
	Discovered struct {
		Issuer string   `json:"issuer"`
		Algs   []string `json:"algs"`
	} `json:"discovered"`
}

func TestOpenIDClient(t *testing.T) {
	node := requireNode(t)
	for _, store := range []string{"memory", "redis"} {
		for _, tc := range []struct {
			name, id, secret, redirect, scope string
		}{
			{"confidential", oidctest.ShopID, oidctest.ShopSecret, oidctest.ShopRedirect, "openid verifiable-id vc"},
			{"public", oidctest.SPAID, "", oidctest.SPARedirect, "openid"},
		} {
			t.Run(store+"/"+tc.name, func(t *testing.T) {
				var o oidctest.Instance
				if store == "redis" {
					o.Redis, o.Prefix = oidctest.RedisClient(t)
				}
				srv := oidctest.Start(t, o)
				pp := oidctest.NewPeople(t)
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				defer cancel()
				cmd := exec.CommandContext(ctx, node, "login.mjs")
				cmd.Env = append(os.Environ(), "ISSUER="+srv.Issuer, "CLIENT_ID="+tc.id, "CLIENT_SECRET="+tc.secret,
					"REDIRECT_URI="+tc.redirect, "SCOPE="+tc.scope, "BROWSER="+browser(t, pp))
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("login.mjs: %v\n%s", err, stderr.String())
				}
				var r result
				if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
					t.Fatalf("login.mjs printed %q: %v", stdout.String(), err)
				}
				if r.Discovered.Issuer != srv.Issuer || !reflect.DeepEqual(r.Discovered.Algs, []string{"ES256"}) {
					t.Errorf("discovered %+v", r.Discovered)
				}
				for where, claims := range map[string]map[string]any{"ID token": r.Claims, "userinfo": r.Userinfo} {
					if claims["sub"] != pp.Holder.DID || claims["given_name"] != oidctest.GivenName || claims["family_name"] != oidctest.FamilyName {
						t.Errorf("%s: %v", where, claims)
					}
					raw, _ := json.Marshal(claims)
					for _, leak := range []string{"1990-01-01", "AT-123456", "firstName"} {
						if strings.Contains(string(raw), leak) {
							t.Errorf("%s holds %s: %s", where, leak, raw)
						}
					}
				}
				if tc.name == "confidential" {
					if _, ok := r.Claims["vc"]; !ok {
						t.Errorf("ID token without the vc claim: %v", r.Claims)
					}
				}
				if r.Claims["acr"] != "urn:loginwithiota:definition:verifiable-id" || !reflect.DeepEqual(r.Claims["amr"], []any{"vc"}) {
					t.Errorf("acr %v amr %v", r.Claims["acr"], r.Claims["amr"])
				}
			})
		}
	}
}
