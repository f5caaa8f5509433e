package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/web"
	"github.com/loginwithiota/verifier/webhook"
	"github.com/loginwithiota/verifier/webhook/memory"
)

const operatorKey = "0123456789abcdef0123456789abcdef-operator"

// TestDeliveryLogRoutes: the delivery log answers the operator key only
// (401 otherwise, never a record), lists latest first within bounds, and
// says 404 of an event it has no record of; without a key the routes do
// not exist.
func TestDeliveryLogRoutes(t *testing.T) {
	log := memory.New(0, nil)
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for i, id := range []string{"s1.e1", "s2.e2"} {
		d := webhook.Delivery{EventID: id, SessionID: strings.Split(id, ".")[0], Type: session.EventVerified, Target: "https://hooks.example/",
			CreatedAt: at.Add(time.Duration(i) * time.Minute), State: webhook.StateDelivered, UpdatedAt: time.Now()}
		if err := log.Record(context.Background(), d, &webhook.Attempt{At: d.CreatedAt, Status: 204, DurationMS: 12}); err != nil {
			t.Fatal(err)
		}
	}
	e := newRouter(t, web.Options{Deliveries: log, OperatorKey: operatorKey})
	bearer := map[string]string{"Authorization": "Bearer " + operatorKey}
	for _, tt := range []struct {
		name, path string
		header     map[string]string
		status     int
		body       string // a part of it
	}{
		{"no key", web.PathWebhookEvents, nil, 401, `"error":"unauthorized"`},
		{"wrong key", web.PathWebhookEvents, map[string]string{"Authorization": "Bearer " + operatorKey + "x"}, 401, "operator key"},
		{"key as basic", web.PathWebhookEvents, map[string]string{"Authorization": "Basic " + operatorKey}, 401, ""},
		{"record without key", web.PathWebhookEvents + "/s1.e1", nil, 401, ""},
		{"list", web.PathWebhookEvents, bearer, 200, `{"events":[{"event_id":"s2.e2"`},
		{"list limit", web.PathWebhookEvents + "?limit=1", bearer, 200, `"event_id":"s2.e2"`},
		{"list bad limit", web.PathWebhookEvents + "?limit=0", bearer, 400, "limit"},
		{"record", web.PathWebhookEvents + "/s1.e1", bearer, 200, `"attempts":[{"at":"2026-11-22T10:00:00Z","duration_ms":12,"status":204}]`},
		{"unknown record", web.PathWebhookEvents + "/nope", bearer, 404, `"error":"not_found"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(e, http.MethodGet, tt.path, tt.header)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.body) {
				t.Fatalf("%d %s, want %d with %s", rec.Code, rec.Body, tt.status, tt.body)
			}
			if rec.Code == 401 && strings.Contains(rec.Body.String(), "s1") {
				t.Fatalf("a refusal shows a record: %s", rec.Body)
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", rec.Header().Get("Cache-Control"))
			}
		})
	}
	if rec := serve(e, http.MethodGet, web.PathWebhookEvents+"?limit=1", bearer); strings.Count(rec.Body.String(), `"event_id"`) != 1 {
		t.Errorf("limit=1 listed %s", rec.Body)
	}
	off := newRouter(t, web.Options{Deliveries: log})
	if rec := serve(off, http.MethodGet, web.PathWebhookEvents, bearer); rec.Code != http.StatusNotFound {
		t.Errorf("without an operator key: %d", rec.Code)
	}
}

// TestCreateWithWebhookURL: webhook_url goes to the verifier, which
// refuses it with a 400 saying why when the operator allows none.
func TestCreateWithWebhookURL(t *testing.T) {
	e := newRouter(t, web.Options{})
	req := httptest.NewRequest(http.MethodPost, "/api/v1/sessions", strings.NewReader(`{"definition":"verifiable-id","webhook_url":"https://hooks.example/x"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	var body map[string]string
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	if rec.Code != http.StatusBadRequest || body["error"] != "invalid_request" || body["error_description"] != "webhook_url is not enabled on this verifier" {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}
