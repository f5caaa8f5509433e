package audit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/audit"
	"github.com/loginwithiota/verifier/verifier"
)

func TestRecord(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 3, 0, time.UTC)
	c := verifier.Completion{SessionID: "secret-session-id", Definition: "verifiable-id", Flow: "cross-device",
		Outcome: verifier.OutcomeVerified, Issuers: []string{"did:key:issuer"}, Types: [][]string{{"VerifiableCredential", "VerifiableId"}},
		Holder: "did:key:holder", Duration: 2140 * time.Millisecond}
	var buf bytes.Buffer
	audit.New(&buf, audit.Options{Now: func() time.Time { return at }}).SessionCompleted(context.Background(), c)
	want := `{"time":"2026-12-01T10:00:03Z","event":"login","session_hash":"` + audit.HashID("secret-session-id") +
		`","definition":"verifiable-id","flow":"cross-device","outcome":"verified","issuers":["did:key:issuer"],` +
		`"credential_types":[["VerifiableCredential","VerifiableId"]],"duration_ms":2140}` + "\n"
	if buf.String() != want {
		t.Fatalf("got  %s\nwant %s", buf.String(), want)
	}
	if strings.Contains(buf.String(), "secret-session-id") || strings.Contains(buf.String(), "holder") {
		t.Fatal("the id or the holder is in the record")
	}
	buf.Reset()
	audit.New(&buf, audit.Options{IncludeHolder: true}).SessionCompleted(context.Background(), c)
	var r audit.Record
	if err := json.Unmarshal(buf.Bytes(), &r); err != nil || r.Holder != "did:key:holder" {
		t.Fatalf("include_holder: %v %s", err, buf.String())
	}
}
