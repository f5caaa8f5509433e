package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/loginwithiota/verifier/testwallet"
	"github.com/loginwithiota/verifier/web"
	"github.com/loginwithiota/verifier/webhook"
)

// TestWebhookCrashedClaim: two built binaries on one Redis. A claims a
// login's event and posts it; the receiver holds that request open, and A
// is killed (SIGKILL: no shutdown, no hand-back). B, running beside it,
// takes the event once A's lease lapses and delivers it: the receiver
// gets it a second time, same webhook-id, and answers 204; B's delivery
// log shows its own attempt.
func TestWebhookCrashedClaim(t *testing.T) {
	requireRedis(t)
	held := make(chan string, 1) // the webhook-id of A's attempt
	release := make(chan struct{})
	var once sync.Once
	rcv := newHookReceiverWith(t, func(n int) int { return http.StatusNoContent }, func(inner http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			first := false
			once.Do(func() { first = true })
			if !first {
				inner.ServeHTTP(w, r)
				return
			}
			// Keep A's attempt in flight until A is gone.
			_, _ = io.Copy(io.Discard, r.Body)
			held <- r.Header.Get("webhook-id")
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
	})
	t.Cleanup(func() { close(release) }) // before the server's Close (cleanups run last first)
	// A lease long enough for B to start while A holds the claim, and an
	// attempt timeout that A never reaches (it is killed first).
	hooks := strings.NewReplacer("  timeout: 2s\n", "  timeout: 5s\n", "  lease: 3s\n", "  lease: 6s\n").Replace(hooksYAML(rcv.srv.URL + "/hooks"))
	cfg := "redis:\n  url: redis://" + redisAddr() + "/0\n  key_prefix: \"test:crash:" + randomHex(6) + ":\"\n" +
		strings.Replace(shippedConfig(t), "# redis:", "# (redis set above)", 1) + hooks
	a := startBinary(t, "memory", cfg) // the store is the config's Redis

	s := a.site(t)
	c := s.start("verifiable-id", "cross-device")
	pp := newPeople(t)
	w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
	if resp, body, err := w.Login(context.Background(), c.AuthorizationRequest); err != nil || resp.StatusCode != 200 {
		t.Fatalf("login on A: %v %s", err, body)
	}
	var heldID string
	select {
	case heldID = <-held:
	case <-t.Context().Done():
	}
	b := startBinary(t, "memory", cfg)
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_, _ = a.cmd.Process.Wait()

	var d webhook.Delivery
	bs := b.site(t)
	await(t, "B delivers the crashed instance's event", func() bool {
		code, _, body := bs.do("GET", web.PathWebhookEvents, "", "", map[string]string{"Authorization": "Bearer " + hookOperator})
		var l struct{ Events []webhook.Delivery }
		if code != 200 || json.Unmarshal(body, &l) != nil || len(l.Events) != 1 {
			return false
		}
		d = l.Events[0]
		return d.State == webhook.StateDelivered
	})
	got := rcv.requests()
	if len(got) != 1 || got[0].header.Get("webhook-id") != d.EventID || heldID != d.EventID {
		t.Fatalf("after the takeover the receiver answered %d requests (want 1, of the event %s A had posted: %s)", len(got), d.EventID, heldID)
	}
	rcv.verify(hookSecret, hookOldSecret)
	if len(d.Attempts) != 1 || d.Attempts[0].Status != 204 || d.SessionID != c.ID {
		t.Errorf("B's record %+v: want its one attempt (A died before logging its own)", d)
	}
}
