package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/loginwithiota/verifier/testwallet"
	"github.com/loginwithiota/verifier/web"
)

// openAPISchemas compiles each response schema of the served OpenAPI
// document by operation, status and media type. The document keeps to
// the JSON Schema that draft-7 validators accept (gojsonschema), with
// $refs into components.
type openAPISchemas struct {
	doc map[string]any
}

func loadOpenAPI(t *testing.T, p *Program) openAPISchemas {
	t.Helper()
	resp, err := http.Get(p.PublicURL + web.PathOpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != 200 {
		t.Fatalf("openapi.json: %d %v", resp.StatusCode, err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi %v", doc["openapi"])
	}
	return openAPISchemas{doc: doc}
}

// check validates body against the schema documented for path, method
// and status.
func (o openAPISchemas) check(t *testing.T, path, method string, status int, contentType string, body []byte) {
	t.Helper()
	op, _ := o.doc["paths"].(map[string]any)[path].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if op == nil {
		t.Fatalf("%s %s is not documented", method, path)
	}
	r, _ := op["responses"].(map[string]any)[itoa(status)].(map[string]any)
	if r == nil {
		t.Fatalf("%s %s: status %d is not documented", method, path, status)
	}
	if ref, ok := r["$ref"].(string); ok {
		r = o.resolve(ref)
	}
	mt := strings.TrimSpace(strings.Split(contentType, ";")[0])
	media, _ := r["content"].(map[string]any)[mt].(map[string]any)
	if media == nil {
		t.Fatalf("%s %s %d: %s is not documented", method, path, status, mt)
	}
	if mt != "application/json" {
		return
	}
	for _, e := range o.validate(t, media["schema"].(map[string]any), body) {
		t.Errorf("%s %s %d: %s: %s", method, path, status, e, body)
	}
}

// validate checks body against schema, whose $refs point into the
// document's components.
func (o openAPISchemas) validate(t *testing.T, schema map[string]any, body []byte) []string {
	t.Helper()
	root := map[string]any{"components": o.doc["components"]}
	for k, v := range schema {
		root[k] = v
	}
	compiled, err := gojsonschema.NewSchema(gojsonschema.NewGoLoader(root))
	if err != nil {
		t.Fatalf("schema: %v", err)
	}
	res, err := compiled.Validate(gojsonschema.NewBytesLoader(body))
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, e := range res.Errors() {
		out = append(out, e.String())
	}
	return out
}

func (o openAPISchemas) resolve(ref string) map[string]any {
	var n any = o.doc
	for _, seg := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		n = n.(map[string]any)[seg]
	}
	return n.(map[string]any)
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestResponsesMatchOpenAPI: real answers of the program, successes and
// errors, match the served OpenAPI document's schemas.
func TestResponsesMatchOpenAPI(t *testing.T) {
	p := startProgram(t, "memory", "")
	o := loadOpenAPI(t, p)
	// The schemas do refuse what they should (the check checks).
	status := map[string]any{"$ref": "#/components/schemas/Status"}
	for _, bad := range []string{`{"id":"x","status":"done","expires_at":"2026-01-01T00:00:00Z"}`, `{"id":"x","status":"pending"}`,
		`{"id":"x","status":"pending","expires_at":"2026-01-01T00:00:00Z","extra":1}`} {
		if len(o.validate(t, status, []byte(bad))) == 0 {
			t.Errorf("the Status schema accepts %s", bad)
		}
	}
	s := newSite(t, p)
	const sessions = "/api/v1/sessions"
	const one = sessions + "/{id}"
	call := func(docPath, method, path, contentType, body string, header map[string]string) (int, []byte) {
		t.Helper()
		code, h, b := s.do(method, path, contentType, body, header)
		o.check(t, docPath, method, code, h.Get("Content-Type"), b)
		return code, b
	}

	code, body := call(sessions, "POST", sessions, "application/json", `{"definition":"verifiable-id","flow":"same-device"}`, nil)
	if code != 201 {
		t.Fatalf("create: %d", code)
	}
	var c created
	_ = json.Unmarshal(body, &c)
	call(sessions, "POST", sessions, "application/json", `{"definition":"nope"}`, nil)
	call(sessions, "POST", sessions, "application/json", `{`, nil)
	call(sessions, "POST", sessions, "text/plain", `{}`, nil)
	call(sessions, "POST", sessions, "application/json", `{"definition":"verifiable-id","flow":"sideways"}`, nil)

	call(one, "GET", c.StatusURL, "", "", nil) // the cookie
	call(one, "GET", sessions+"/nope", "", "", nil)
	call(one+"/qr.svg", "GET", c.QRSVG, "", "", nil)
	call(one+"/qr.png", "GET", c.QRPNG, "", "", nil)
	call(one+"/qr.png", "GET", sessions+"/nope/qr.png", "", "", nil)
	call(one+"/events", "GET", sessions+"/nope/events", "", "", nil)
	call(one+"/redeem", "POST", c.StatusURL+"/redeem", "application/json", `{"response_code":"x"}`, nil)
	call(one+"/redeem", "POST", c.StatusURL+"/redeem", "text/plain", `x`, nil)
	call("/healthz", "GET", "/healthz", "", "", nil)
	call("/readyz", "GET", "/readyz", "", "", nil)

	// A verified login's status, result included.
	pp := newPeople(t)
	v := s.start("verifiable-id", "cross-device")
	w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
	if resp, b, err := w.Login(context.Background(), v.AuthorizationRequest); err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %s", err, b)
	}
	code, body = call(one, "GET", v.StatusURL, "", "", map[string]string{"Authorization": "Bearer " + v.StatusToken})
	if code != 200 || !strings.Contains(string(body), `"verified"`) {
		t.Fatalf("verified: %d %s", code, body)
	}
	call(one+"/qr.svg", "GET", v.QRSVG, "", "", nil) // 404: no longer pending
}
