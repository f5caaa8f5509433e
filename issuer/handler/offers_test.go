package handler_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/loginwithiota/verifier/issuer"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestMetadataGolden pins the wire form of the metadata documents: the
// credential issuer's, its authorization server's, and (with a dc+sd-jwt
// configuration) the JWT VC Issuer Metadata.
func TestMetadataGolden(t *testing.T) {
	e := newEnv(t, "/issuer", nil)
	for name, path := range map[string]string{
		"credential-issuer.json":    "/.well-known/openid-credential-issuer/issuer",
		"authorization-server.json": "/.well-known/oauth-authorization-server/issuer",
		"jwt-vc-issuer.json":        "/.well-known/jwt-vc-issuer/issuer",
	} {
		a := e.get(path)
		if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
			t.Fatalf("%s: %d %s", path, a.status, a.raw)
		}
		got := bytes.ReplaceAll(a.raw, []byte(e.srv.URL), []byte("https://issuer.example"))
		var v any
		_ = json.Unmarshal(got, &v)
		got, _ = json.MarshalIndent(v, "", "  ")
		golden := "testdata/" + name
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s:\n%s", path, golden, got)
		}
	}
	// A client joining the well-known path and "/" keeps working.
	if a := e.get("/.well-known/openid-credential-issuer/issuer/"); a.status != 200 {
		t.Fatalf("trailing slash: %d", a.status)
	}
}

// TestOfferByReference: the offer URI names the credential_offer_uri,
// which serves the object until its code is used; its QR code, read back
// by ZXing, is the offer URI.
func TestOfferByReference(t *testing.T) {
	e := newEnv(t, "", nil)
	code, tx, a := e.offer(twoConfigs)
	uri := a.body["offer_uri"].(string)
	if !strings.HasPrefix(uri, issuer.OfferScheme+"?credential_offer_uri=") {
		t.Fatal(uri)
	}
	u, _ := url.Parse(uri)
	ref := u.Query().Get("credential_offer_uri")
	got := e.get(strings.TrimPrefix(ref, e.srv.URL))
	if got.status != 200 || got.body["credential_issuer"] != e.url || got.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("%d %s", got.status, got.raw)
	}
	pngRaw := e.get(a.body["qr_png"].(string)).raw
	img, err := png.Decode(bytes.NewReader(pngRaw))
	if err != nil {
		t.Fatal(err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil || res.GetText() != uri {
		t.Fatalf("QR code reads %v, %v", res, err)
	}
	if svg := e.get(a.body["qr_svg"].(string)); svg.status != 200 || !bytes.HasPrefix(svg.raw, []byte("<svg")) {
		t.Fatalf("svg: %d", svg.status)
	}
	e.accessToken(code, tx)
	if got := e.get(strings.TrimPrefix(ref, e.srv.URL)); got.status != 404 {
		t.Fatalf("a used offer is still served: %d", got.status)
	}
}

func TestOfferByValue(t *testing.T) {
	e := newEnv(t, "", nil)
	_, _, a := e.offer(map[string]any{"credential_configuration_ids": []string{"VerifiableId"}, "claims": map[string]any{"givenName": "J"},
		"by_value": true, "tx_code": map[string]any{"length": 8, "input_mode": "text", "description": "sent by mail"}})
	u, _ := url.Parse(a.body["offer_uri"].(string))
	var offer map[string]any
	if err := json.Unmarshal([]byte(u.Query().Get("credential_offer")), &offer); err != nil {
		t.Fatal(err)
	}
	g := offer["grants"].(map[string]any)[issuer.GrantPreAuthorizedCode].(map[string]any)
	spec := g["tx_code"].(map[string]any)
	if spec["length"] != 8.0 || spec["input_mode"] != "text" || len(a.body["tx_code"].(string)) != 8 {
		t.Fatalf("%v %v", spec, a.body["tx_code"])
	}
	if _, ok := a.body["credential_offer_uri"]; ok {
		t.Fatal("a by-value offer has a credential_offer_uri")
	}
}

// TestOperatorAPI: the API key is required; bad bodies are invalid_request.
func TestOperatorAPI(t *testing.T) {
	e := newEnv(t, "", nil)
	body := map[string]any{"credential_configuration_ids": []string{"VerifiableId"}, "claims": map[string]any{"givenName": "J"}}
	for _, key := range []string{"", "wrong", apiKey + "x"} {
		a := e.postJSON("/api/v1/offers", key, body)
		if a.status != http.StatusUnauthorized || a.body["error"] != "unauthorized" {
			t.Fatalf("key %q: %d %s", key, a.status, a.raw)
		}
	}
	for name, b := range map[string]any{
		"unknown configuration": map[string]any{"credential_configuration_ids": []string{"Nope"}},
		"no configuration":      map[string]any{"claims": map[string]any{}},
		"undescribed claim":     map[string]any{"credential_configuration_ids": []string{"VerifiableId"}, "claims": map[string]any{"givenName": "J", "shoeSize": 44}},
		"mandatory claim":       map[string]any{"credential_configuration_ids": []string{"VerifiableId"}, "claims": map[string]any{"familyName": "D"}},
		"id claim":              map[string]any{"credential_configuration_ids": []string{"VerifiableId"}, "claims": map[string]any{"givenName": "J", "id": "did:x"}},
		"unknown member":        map[string]any{"credential_configuration_ids": []string{"VerifiableId"}, "claimz": map[string]any{}},
		"bad tx_code":           map[string]any{"credential_configuration_ids": []string{"VerifiableId"}, "claims": map[string]any{"givenName": "J"}, "tx_code": map[string]any{"length": 40}},
	} {
		a := e.postJSON("/api/v1/offers", apiKey, b)
		if a.status != 400 || a.body["error"] != "invalid_request" {
			t.Errorf("%s: %d %s", name, a.status, a.raw)
		}
	}
}

// TestDemoPage: the page makes an offer and shows the wallet command a
// person copies.
func TestDemoPage(t *testing.T) {
	e := newEnv(t, "", nil)
	if a := e.get("/"); a.status != 200 || !bytes.Contains(a.raw, []byte(`action="/demo/offer"`)) {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/demo/offer", nil)
	a := e.do(req)
	cmd := regexp.MustCompile(`<code id="wallet-command">go run ./cmd/wallet receive '(openid-credential-offer://[^']+)' --tx-code (\d{6})</code>`).FindSubmatch(a.raw)
	if a.status != 200 || cmd == nil {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	u, _ := url.Parse(string(cmd[1]))
	if u.Query().Get("credential_offer_uri") == "" {
		t.Fatal(string(cmd[1]))
	}
	j := e.postJSON("/demo/offers", "", nil)
	if j.status != 201 || j.body["tx_code"] == "" {
		t.Fatalf("%d %s", j.status, j.raw)
	}
}
