package oid4vp

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

var login = Login{ResponseURI: "https://v.example/oid4vp/response", Nonce: "n", State: "s", ResponseMode: ModeDirectPost,
	Definition: json.RawMessage(`{"id":"d","input_descriptors":[]}`), DefinitionURI: "https://v.example/oid4vp/definitions/d",
	VPFormats: map[string]any{"ldp_vp": map[string]any{"proof_type": []string{"Ed25519Signature2020"}}}}

func TestDraft20Parameters(t *testing.T) {
	d, _ := Lookup(Draft20)
	q, err := Query(d.Parameters(login))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := url.ParseQuery(q)
	want := map[string]string{"response_type": "vp_token", "client_id": login.ResponseURI, "client_id_scheme": "redirect_uri",
		"response_mode": "direct_post", "response_uri": login.ResponseURI, "nonce": "n", "state": "s",
		"presentation_definition": `{"id":"d","input_descriptors":[]}`, "client_metadata": `{"vp_formats":{"ldp_vp":{"proof_type":["Ed25519Signature2020"]}}}`}
	if len(v) != len(want) {
		t.Fatalf("parameters %v", v)
	}
	for k, w := range want {
		if v.Get(k) != w {
			t.Errorf("%s = %q, want %q", k, v.Get(k), w)
		}
	}
}

func TestProfile2022Parameters(t *testing.T) {
	d, _ := Lookup("")
	l := login
	l.ResponseMode = ModePost
	p := d.Parameters(l)
	if p[ParamScope] != ScopeOpenID || p[ParamRedirectURI] != l.ResponseURI || p[ParamPresentationDefinitionURI] != l.DefinitionURI || p[ParamResponseURI] != nil || p[ParamClientMetadata] != nil {
		t.Fatalf("parameters %v", p)
	}
	if d.ByReference() {
		t.Fatal("profile-2022 goes by value")
	}
}

func TestRequestObject(t *testing.T) {
	d, _ := Lookup(Draft20)
	jwt, err := RequestObject(d, d.Parameters(login))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 || parts[2] != "" {
		t.Fatalf("not an unsecured JWT: %q", jwt)
	}
	h, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if string(h) != `{"alg":"none","typ":"oauth-authz-req+jwt"}` {
		t.Fatalf("header %s", h)
	}
	var claims map[string]any
	b, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if json.Unmarshal(b, &claims) != nil || claims["aud"] != AudienceSelfIssued || claims["client_id_scheme"] != "redirect_uri" {
		t.Fatalf("claims %s", b)
	}
	p, _ := Lookup(Profile2022)
	if _, err := RequestObject(p, p.Parameters(login)); err == nil {
		t.Fatal("profile-2022 made a request object")
	}
}

func TestLookup(t *testing.T) {
	for _, n := range []string{V1, V1Draft20} {
		if d, err := Lookup(n); err != nil || d.Name() != n || !IsV1(d) {
			t.Fatalf("%s: %v", n, err)
		}
	}
	if _, err := Lookup("draft-99"); err == nil || !strings.Contains(err.Error(), "unknown") {
		t.Fatalf("draft-99: %v", err)
	}
}

func TestParseForm(t *testing.T) {
	sub := `{"id":"1","definition_id":"d","descriptor_map":[{"id":"a","format":"ldp_vp","path":"$"}]}`
	for name, form := range map[string]url.Values{
		"JSON text":         {"presentation_submission": {sub}, "vp_token": {`{"type":"VerifiablePresentation"}`}, "state": {"s"}},
		"JSON string of it": {"presentation_submission": {mustJSON(sub)}, "vp_token": {mustJSON(`{"type":"VerifiablePresentation"}`)}, "state": {"s"}},
		"bracket form (qs)": {"presentation_submission[id]": {"1"}, "presentation_submission[definition_id]": {"d"}, "presentation_submission[descriptor_map][0][id]": {"a"}, "presentation_submission[descriptor_map][0][format]": {"ldp_vp"}, "presentation_submission[descriptor_map][0][path]": {"$"}, "vp_token": {`{"type":"VerifiablePresentation"}`}, "state": {"s"}},
	} {
		a, err := ParseForm(form)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got, want any
		_ = json.Unmarshal([]byte(a.PresentationSubmission), &got)
		_ = json.Unmarshal([]byte(sub), &want)
		if mustJSON(got) != mustJSON(want) || a.VPToken != `{"type":"VerifiablePresentation"}` || a.State != "s" {
			t.Errorf("%s: %+v", name, a)
		}
	}
	if _, err := ParseForm(url.Values{"state": {"a", "b"}}); err == nil {
		t.Error("a repeated state was accepted")
	}
	if _, err := ParseForm(url.Values{"presentation_submission[id]": {"1"}, "presentation_submission[id][x]": {"2"}}); err == nil {
		t.Error("a member that is both a value and an object was accepted")
	}
}

func FuzzParseForm(f *testing.F) {
	f.Add("presentation_submission[descriptor_map][0][id]=a&vp_token=%22x%22")
	f.Fuzz(func(t *testing.T, q string) {
		form, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		_, _ = ParseForm(form)
	})
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
