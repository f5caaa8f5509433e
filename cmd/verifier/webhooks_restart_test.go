package main

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/loginwithiota/verifier/testwallet"
	"github.com/loginwithiota/verifier/web"
	"github.com/loginwithiota/verifier/webhook"
)

// list reads the whole delivery log through the operator API.
func (h *hookedService) list() []webhook.Delivery {
	h.t.Helper()
	code, body := h.operator(web.PathWebhookEvents + "?limit=500")
	var l struct{ Events []webhook.Delivery }
	if code != http.StatusOK || json.Unmarshal(body, &l) != nil {
		h.t.Fatalf("list: %d %s", code, body)
	}
	return l.Events
}

// TestWebhookReceiverDownAcrossRestart (Redis): the receiver is down (its
// port closed) while logins end and while the verifier restarts; once
// both are back, every event arrives, once, and each record shows the
// failed attempts of the first instance and the delivery by the second.
func TestWebhookReceiverDownAcrossRestart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // down: connections are refused
	rcv := &hookReceiver{t: t, status: func(int) int { return http.StatusNoContent }, per: map[string]int{}}
	h := newHookedService(t, "redis", hooksYAML("http://"+addr+"/hooks"))

	const logins = 3
	ids := map[string]bool{}
	for range logins {
		ids[h.login("").ID] = true
	}
	s := newSite(t, h.p)
	declined := h.create(s, "")
	req := mustRequest(t, declined)
	if resp, _, err := testwallet.Post(t.Context(), http.DefaultClient, req.ResponseURI, testwallet.Answer{Error: "access_denied", State: req.State}); err != nil || resp.StatusCode != 200 {
		t.Fatalf("decline: %v", err)
	}
	ids[declined.ID] = true
	await(t, "every event has a failed attempt", func() bool {
		ds := h.list()
		if len(ds) != len(ids) {
			return false
		}
		for _, d := range ds {
			if len(d.Attempts) == 0 || d.State != webhook.StateRetrying || d.Attempts[0].Error != "host unreachable" {
				return false
			}
		}
		return true
	})
	h.close()

	// The receiver comes back on its address, then the verifier.
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen again on %s: %v", addr, err)
	}
	rcv.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: rcv}}
	rcv.srv.Start()
	t.Cleanup(rcv.srv.Close)
	h.open()
	await(t, "every event is delivered after the restart", func() bool {
		for _, d := range h.list() {
			if d.State != webhook.StateDelivered {
				return false
			}
		}
		return len(rcv.requests()) >= len(ids)
	})
	got := map[string]bool{}
	for _, p := range rcv.verify(hookSecret, hookOldSecret) {
		if !ids[p.Data.SessionID] || got[p.Data.SessionID] {
			t.Errorf("unexpected or repeated event of %s", p.Data.SessionID)
		}
		got[p.Data.SessionID] = true
	}
	if len(got) != len(ids) {
		t.Errorf("%d of %d logins' events arrived", len(got), len(ids))
	}
	for _, d := range h.list() {
		first, last := d.Attempts[0], d.Attempts[len(d.Attempts)-1]
		if last.Status != 204 || first.Instance == last.Instance || first.Instance == "" {
			t.Errorf("record %s: first attempt %+v, last %+v; want failures of one instance, the 204 of the next", d.EventID, first, last)
		}
		if d.SessionID == declined.ID && d.Type != "session.failed" {
			t.Errorf("the declined login's event is %s", d.Type)
		}
	}
	await(t, "the outbox is empty", func() bool { return outboxKeys(t, h.prefix) == 0 })
}

func mustRequest(t *testing.T, c created) *testwallet.Request {
	t.Helper()
	r, err := testwallet.ParseRequest(t.Context(), http.DefaultClient, c.AuthorizationRequest)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
