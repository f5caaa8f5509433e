package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/testwallet"
)

// scrape reads the program's /metrics into name{labels} → value.
func scrape(t *testing.T, p *Program) map[string]float64 {
	t.Helper()
	if p.MetricsAddr() == "" {
		t.Fatal("metrics are off")
	}
	resp, err := http.Get("http://" + p.MetricsAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/metrics: %d", resp.StatusCode)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metric line %q", line)
		}
		out[line[:i]] = v
	}
	return out
}

// TestMetricsAndAudit: after a verified, a failed and a declined login,
// /metrics (on its own listener) shows the counters and histograms, and
// the audit log holds one record per login with no claim, token, session
// id or (by default) holder DID.
func TestMetricsAndAudit(t *testing.T) {
	auditPath := filepath.Join(t.TempDir(), "audit.jsonl")
	p := startProgram(t, "memory", "metrics:\n  listen: 127.0.0.1:0\naudit:\n  sink: "+auditPath+"\n")
	s := newSite(t, p)
	pp := newPeople(t)
	ctx := context.Background()

	verified := s.start("verifiable-id", "cross-device")
	w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
	if resp, body, err := w.Login(ctx, verified.AuthorizationRequest); err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %s", err, body)
	}
	failed := s.start("verifiable-id", "cross-device")
	r, err := testwallet.ParseRequest(ctx, http.DefaultClient, failed.AuthorizationRequest)
	if err != nil {
		t.Fatal(err)
	}
	vp, err := pp.holder.Present([]map[string]any{pp.idCard}, "not-the-nonce", r.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	sub := testwallet.Submission(r.DefinitionID(), r.DescriptorIDs(), []int{0})
	if resp, _, _ := testwallet.Post(ctx, http.DefaultClient, r.ResponseURI, testwallet.Answer{VPToken: vp, Submission: sub, State: r.State}); resp.StatusCode != 400 {
		t.Fatalf("wrong nonce: %d", resp.StatusCode)
	}
	declined := s.start("verifiable-id", "same-device")
	r2, err := testwallet.ParseRequest(ctx, http.DefaultClient, declined.AuthorizationRequest)
	if err != nil {
		t.Fatal(err)
	}
	if resp, _, _ := testwallet.Post(ctx, http.DefaultClient, r2.ResponseURI, testwallet.Answer{State: r2.State, Error: "made_up_code"}); resp.StatusCode >= 400 {
		t.Fatalf("decline: %d", resp.StatusCode)
	}
	s.status(verified)

	m := scrape(t, p)
	for name, want := range map[string]float64{
		`verifier_sessions_created_total{definition="verifiable-id",flow="cross-device"}`:                                                            2,
		`verifier_sessions_created_total{definition="verifiable-id",flow="same-device"}`:                                                             1,
		`verifier_sessions_completed_total{definition="verifiable-id",outcome="verified"}`:                                                           1,
		`verifier_sessions_completed_total{definition="verifiable-id",outcome="failed"}`:                                                             1,
		`verifier_sessions_completed_total{definition="verifiable-id",outcome="declined"}`:                                                           1,
		`verifier_session_failures_total{definition="verifiable-id",reason="nonce_mismatch"}`:                                                        1,
		`verifier_session_failures_total{definition="verifiable-id",reason="wallet:other"}`:                                                          1,
		`verifier_verification_stage_seconds_count{stage="query"}`:                                                                                   1,
		`verifier_verification_stage_seconds_count{stage="proofs"}`:                                                                                  1,
		`verifier_verification_stage_seconds_count{stage="status"}`:                                                                                  1,
		`verifier_verification_stage_seconds_count{stage="did"}`:                                                                                     2,
		`verifier_did_resolutions_total{method="key",result="ok"}`:                                                                                   2,
		`verifier_store_seconds_count{op="create"}`:                                                                                                  3,
		`verifier_http_requests_total{code="201",method="POST",route="/api/v1/sessions"}`:                                                            3,
		`verifier_http_requests_total{code="400",method="POST",route="/oid4vp/response"}`:                                                            1,
		`verifier_http_requests_total{code="200",method="GET",route="/api/v1/sessions/:id"}`:                                                         1,
		`verifier_event_streams_open`:                                                                                                                0,
		`verifier_store_errors_total{op="create"}`:                                                                                                   -1, // absent: no error
		`verifier_build_info{goversion="` + readBuildInfo().GoVersion + `",revision="` + readBuildInfo().Revision + `",version="` + p.Version + `"}`: 1,
	} {
		got, ok := m[name]
		switch {
		case want < 0 && ok:
			t.Errorf("%s = %v, want absent", name, got)
		case want >= 0 && (!ok || got != want):
			t.Errorf("%s = %v (present %v), want %v", name, got, ok, want)
		}
	}
	if m[`verifier_verification_stage_seconds_sum{stage="proofs"}`] <= 0 {
		t.Error("the proofs stage took no time")
	}
	for name := range m {
		if strings.Contains(name, "did:") || strings.Contains(name, verified.ID) || strings.Contains(name, "Jane") {
			t.Errorf("a label carries personal data or an id: %s", name)
		}
	}

	// The audit log: three lines, one per completed login.
	raw, err := os.ReadFile(auditPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if len(lines) != 3 {
		t.Fatalf("audit log: %d lines\n%s", len(lines), raw)
	}
	for _, secret := range []string{verified.ID, verified.StatusToken, failed.ID, failed.StatusToken, declined.ID,
		pp.holder.DID, "Jane", "DOE", r.Nonce, r.State, r2.State, "credentialSubject", "proofValue"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the audit log holds %q:\n%s", secret, raw)
		}
	}
	var first struct {
		Time, Event, Definition, Flow, Outcome, Reason string
		SessionHash                                    string `json:"session_hash"`
		Issuers                                        []string
		Types                                          [][]string `json:"credential_types"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.Event != "login" || first.Outcome != "verified" || first.Definition != "verifiable-id" ||
		len(first.Issuers) != 1 || first.Issuers[0] != pp.issuer.DID || !contains(first.Types[0], "VerifiableId") ||
		!regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(first.SessionHash) {
		t.Errorf("verified record %s", lines[0])
	}
	for i, want := range []string{`"outcome":"failed","reason":"nonce_mismatch"`, `"outcome":"declined","reason":"made_up_code"`} {
		if !strings.Contains(lines[i+1], want) {
			t.Errorf("record %d %s, want %s", i+1, lines[i+1], want)
		}
	}
}

// TestAuditHolderOnRequest: audit.include_holder adds the holder DID.
func TestAuditHolderOnRequest(t *testing.T) {
	auditPath := filepath.Join(t.TempDir(), "audit.jsonl")
	p := startProgram(t, "memory", "audit:\n  sink: "+auditPath+"\n  include_holder: true\n")
	pp := newPeople(t)
	c := newSite(t, p).start("verifiable-id", "cross-device")
	w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
	if resp, body, err := w.Login(context.Background(), c.AuthorizationRequest); err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %s", err, body)
	}
	f, err := os.Open(auditPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, _ := io.ReadAll(f)
	if !strings.Contains(string(raw), `"holder":"`+pp.holder.DID+`"`) {
		t.Fatalf("no holder: %s", raw)
	}
}
