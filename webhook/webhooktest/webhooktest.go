// Package webhooktest is the conformance suite of webhook.Log backends:
// one Run, a fresh log per subtest, the same assertions for memory and
// Redis (records round-trip, attempts append in order and from several
// writers, List is latest first and bounded, ErrNotFound for the rest).
package webhooktest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/webhook"
)

// Run runs the suite on the logs newLog returns (empty, or sharing no
// event ids with other subtests).
func Run(t *testing.T, newLog func(t *testing.T) webhook.Log) {
	tests := []struct {
		name string
		run  func(t *testing.T, l webhook.Log)
	}{
		{"RecordGet", testRecordGet},
		{"NotFound", testNotFound},
		{"AttemptsFromManyWriters", testManyWriters},
		{"ListLatestFirst", testList},
		{"CopiesAreIndependent", testCopies},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, newLog(t)) })
	}
}

var base = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

func delivery(at time.Time) webhook.Delivery {
	sid := rand.Text()
	return webhook.Delivery{EventID: sid + "." + rand.Text()[:8], SessionID: sid, Type: session.EventVerified,
		DefinitionID: "verifiable-id", Target: "https://hooks.example/login", CreatedAt: at, UpdatedAt: time.Now()}
}

func same(t *testing.T, got, want webhook.Delivery) {
	t.Helper()
	if !got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) || !got.NextAttempt.Equal(want.NextAttempt) {
		t.Errorf("times differ: got %v %v %v, want %v %v %v", got.CreatedAt, got.UpdatedAt, got.NextAttempt, want.CreatedAt, want.UpdatedAt, want.NextAttempt)
	}
	if len(got.Attempts) != len(want.Attempts) {
		t.Fatalf("%d attempts, want %d: %+v", len(got.Attempts), len(want.Attempts), got.Attempts)
	}
	for i := range got.Attempts {
		if !got.Attempts[i].At.Equal(want.Attempts[i].At) {
			t.Errorf("attempt %d at %v, want %v", i, got.Attempts[i].At, want.Attempts[i].At)
		}
		got.Attempts[i].At, want.Attempts[i].At = time.Time{}, time.Time{}
	}
	got.CreatedAt, got.UpdatedAt, got.NextAttempt = time.Time{}, time.Time{}, time.Time{}
	want.CreatedAt, want.UpdatedAt, want.NextAttempt = time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("record differs\n got %+v\nwant %+v", got, want)
	}
}

func record(t *testing.T, l webhook.Log, d webhook.Delivery, a *webhook.Attempt) {
	t.Helper()
	if err := l.Record(context.Background(), d, a); err != nil {
		t.Fatalf("Record: %v", err)
	}
}

func get(t *testing.T, l webhook.Log, id string) webhook.Delivery {
	t.Helper()
	d, err := l.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	return d
}

// testRecordGet: a record's description and latest state round-trip, its
// attempts in order; Record without an attempt changes the state only.
func testRecordGet(t *testing.T, l webhook.Log) {
	d := delivery(base)
	d.State, d.NextAttempt = webhook.StateRetrying, base.Add(time.Minute)
	a1 := webhook.Attempt{At: base, DurationMS: 120, Status: 503, Error: "unexpected HTTP status 503", Instance: "a"}
	record(t, l, d, &a1)
	want := d
	want.Attempts = []webhook.Attempt{a1}
	same(t, get(t, l, d.EventID), want)

	a2 := webhook.Attempt{At: base.Add(time.Minute), DurationMS: 1, Error: "host unreachable", Instance: "b"}
	record(t, l, d, &a2)
	d.State, d.NextAttempt = webhook.StateDelivered, time.Time{}
	a3 := webhook.Attempt{At: base.Add(2 * time.Minute), Status: 204, Instance: "a"}
	record(t, l, d, &a3)
	record(t, l, d, nil)
	want = d
	want.Attempts = []webhook.Attempt{a1, a2, a3}
	same(t, get(t, l, d.EventID), want)
}

func testNotFound(t *testing.T, l webhook.Log) {
	if _, err := l.Get(context.Background(), "no-such."+rand.Text()); !errors.Is(err, webhook.ErrNotFound) {
		t.Fatalf("Get of no record: %v, want ErrNotFound", err)
	}
}

// testManyWriters: attempts recorded at once (two instances, a lapsed
// lease) are all kept.
func testManyWriters(t *testing.T, l webhook.Log) {
	d := delivery(base)
	d.State = webhook.StateRetrying
	const writers = 20
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := l.Record(context.Background(), d, &webhook.Attempt{At: base, Status: 500 + i, Instance: fmt.Sprint(i)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got := get(t, l, d.EventID)
	seen := map[string]bool{}
	for _, a := range got.Attempts {
		seen[a.Instance] = true
	}
	if len(got.Attempts) != writers || len(seen) != writers {
		t.Fatalf("%d attempts from %d writers kept, want %d", len(got.Attempts), len(seen), writers)
	}
}

// testList: the latest events first, at most limit.
func testList(t *testing.T, l webhook.Log) {
	var ids []string
	for i := range 5 {
		d := delivery(base.Add(time.Duration(i) * time.Minute))
		d.State = webhook.StateDelivered
		record(t, l, d, &webhook.Attempt{At: d.CreatedAt, Status: 200})
		ids = append(ids, d.EventID)
	}
	got, err := l.List(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].EventID != ids[4] || got[1].EventID != ids[3] || got[2].EventID != ids[2] {
		t.Fatalf("List(3) = %v, want the three latest of %v", eventIDs(got), ids)
	}
	if len(got[0].Attempts) != 1 {
		t.Errorf("listed record without its attempts: %+v", got[0])
	}
	if all, err := l.List(context.Background(), 100); err != nil || len(all) != 5 {
		t.Fatalf("List(100) = %d records, %v", len(all), err)
	}
}

func eventIDs(ds []webhook.Delivery) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.EventID
	}
	return out
}

func testCopies(t *testing.T, l webhook.Log) {
	d := delivery(base)
	record(t, l, d, &webhook.Attempt{At: base, Status: 500})
	got := get(t, l, d.EventID)
	got.Attempts[0].Status = 200
	if again := get(t, l, d.EventID); again.Attempts[0].Status != 500 {
		t.Fatal("a returned record shares memory with the log")
	}
}
