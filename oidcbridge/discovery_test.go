package oidcbridge_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"github.com/loginwithiota/verifier/oidcbridge/oidctest"
)

// TestDiscovery: the document names what the provider does, and only that.
func TestDiscovery(t *testing.T) {
	srv := start(t, "memory", oidctest.Instance{})
	resp, err := http.Get(srv.Issuer + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var d map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		pretty, _ := json.MarshalIndent(d, "", "  ")
		t.Logf("%s", pretty)
	}
	want := map[string]any{
		"issuer":                                srv.Issuer,
		"authorization_endpoint":                srv.Issuer + "/authorize",
		"token_endpoint":                        srv.Issuer + "/token",
		"userinfo_endpoint":                     srv.Issuer + "/userinfo",
		"jwks_uri":                              srv.Issuer + "/keys",
		"end_session_endpoint":                  srv.Issuer + "/end_session",
		"revocation_endpoint":                   srv.Issuer + "/revoke",
		"response_types_supported":              []any{"code"},
		"response_modes_supported":              []any{"query"},
		"grant_types_supported":                 []any{"authorization_code"},
		"subject_types_supported":               []any{"pairwise", "public"},
		"id_token_signing_alg_values_supported": []any{"ES256"},
		"code_challenge_methods_supported":      []any{"S256"},
		"token_endpoint_auth_methods_supported": []any{"client_secret_basic", "client_secret_post", "none"},
		"scopes_supported":                      []any{"openid", "verifiable-id", "vc"},
		"acr_values_supported":                  []any{"urn:loginwithiota:definition:verifiable-id"},
		"request_uri_parameter_supported":       false,
	}
	for k, v := range want {
		if !reflect.DeepEqual(d[k], v) {
			t.Errorf("%s = %v, want %v", k, d[k], v)
		}
	}
	for _, absent := range []string{"introspection_endpoint", "device_authorization_endpoint", "request_parameter_supported",
		"token_endpoint_auth_signing_alg_values_supported", "request_object_signing_alg_values_supported"} {
		if _, ok := d[absent]; ok {
			t.Errorf("%s = %v, want it absent", absent, d[absent])
		}
	}
	claims, _ := d["claims_supported"].([]any)
	for _, c := range []string{"sub", "given_name", "family_name", "acr", "amr", "vc"} {
		if !containsAny(claims, c) {
			t.Errorf("claims_supported %v lacks %s", claims, c)
		}
	}
}

func containsAny(list []any, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
