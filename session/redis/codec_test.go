package redis

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// verified is a completed record as the service stores it: one credential
// with a few claims, a status check, formats and DID methods.
func verified() session.Session {
	now := time.Date(2026, 11, 22, 10, 0, 0, 123456789, time.UTC)
	return session.Session{
		ID: "sMzW3q2sY4cJmO1n0aRk7w", State: "sMzW3q2sY4cJmO1n0aRk7w.9f8e7d6c5b4a39281706f5e4d3c2b1a0",
		Nonce: "n0nce-abcdefghijklmnopqrstuvwx", StatusTokenHash: make([]byte, 32),
		DefinitionID: "verifiable-id", Flow: session.FlowCrossDevice, ResponseMode: "post",
		CreatedAt: now, ExpiresAt: now.Add(5 * time.Minute), DeleteAt: now.Add(15 * time.Minute),
		Status: session.StatusVerified, CompletedAt: now.Add(time.Second), Version: 1,
		Result: &session.Result{
			Holder: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
			Credentials: []session.Credential{{
				Type:   []string{"VerifiableCredential", "VerifiableId"},
				Issuer: "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
				CredentialSubject: map[string]any{
					"id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "firstName": "Jane",
					"familyName": "DOE", "dateOfBirth": "1993-04-08", "placeOfBirth": map[string]any{"city": "Berlin"},
				},
				Format: "ldp_vc",
				Status: &session.CredentialStatus{State: "active", Methods: []string{"RevocationBitmap2022"}},
			}},
			Formats: []string{"ldp_vp"}, DIDMethods: []string{"key"},
		},
	}
}

func TestCodecRoundTrip(t *testing.T) {
	hooked := verified()
	hooked.WebhookURL = "https://hooks.example/login"
	for _, s := range []session.Session{verified(), hooked, {ID: "a", State: "a.b"}, {ID: "x", Error: &session.Error{Code: "c"}, Result: &session.Result{}}} {
		got, err := decode(encode(s))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Errorf("round trip:\n got %#v\nwant %#v", got, s)
		}
	}
}

// FuzzDecode: no stored value makes decode panic.
func FuzzDecode(f *testing.F) {
	f.Add(encode(verified()))
	f.Add([]byte("0:b"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if s, err := decode(data); err == nil {
			if _, err := decode(encode(s)); err != nil {
				t.Fatalf("a decoded record does not encode back: %v", err)
			}
		}
	})
}

// BenchmarkCodec compares the record's encoding with encoding/json, which
// the store used before (docs/performance.md).
func BenchmarkCodec(b *testing.B) {
	s := verified()
	pending := s
	pending.Status, pending.Result, pending.CompletedAt = session.StatusPending, nil, time.Time{}
	for _, c := range []struct {
		name string
		s    session.Session
	}{{"pending", pending}, {"verified", s}} {
		bin := encode(c.s)
		js, _ := json.Marshal(c.s)
		b.Run(c.name+"/binary/encode", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				encode(c.s)
			}
		})
		b.Run(c.name+"/binary/decode", func(b *testing.B) {
			b.ReportAllocs()
			b.ReportMetric(float64(len(bin)), "bytes")
			for b.Loop() {
				if _, err := decode(bin); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/json/encode", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = json.Marshal(c.s)
			}
		})
		b.Run(c.name+"/json/decode", func(b *testing.B) {
			b.ReportAllocs()
			b.ReportMetric(float64(len(js)), "bytes")
			for b.Loop() {
				var out session.Session
				if err := json.Unmarshal(js, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
