package pex

import (
	"testing"
)

// A presentation whose verifiableCredential is one credential object (as
// identity.rs 0.6 writes it) is read by $.verifiableCredential[0]; [1],
// and an index into any other non-array member, still select nothing.
func TestEvaluateSingleCredentialObject(t *testing.T) {
	defRaw, vpRaw, subRaw := profileFiles(t)
	d := mustDefinition(t, defRaw)
	single := decode(t, edit(t, vpRaw, func(v any) any {
		vp := v.(map[string]any)
		vp["verifiableCredential"] = at(v, "verifiableCredential", 0)
		return v
	}))
	cred := single.(map[string]any)["verifiableCredential"]
	t.Run("[0] selects the object", func(t *testing.T) {
		res, err := d.Evaluate(mustSubmission(t, subRaw), single)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Matches) != 1 || res.Matches[0].Path != "$.verifiableCredential[0]" {
			t.Fatalf("matches = %+v", res.Matches)
		}
		if m, ok := res.Matches[0].Raw.(map[string]any); !ok || !sameMap(m, cred.(map[string]any)) {
			t.Fatal("the match is not the presentation's own credential object")
		}
	})
	for _, path := range []string{"$.verifiableCredential[1]", "$.holder[0]", "$.proof[0]", "$.verifiableCredential[0][0]"} {
		t.Run(path+" selects nothing", func(t *testing.T) {
			sub := mustSubmission(t, []byte(`{"id":"1","definition_id":"vp token example","descriptor_map":[{"id":"verifiable id credential","format":"ldp_vp","path":"$",
				"path_nested":{"id":"verifiable id credential","format":"ldp_vc","path":"`+path+`"}}]}`))
			_, err := d.Evaluate(sub, single)
			wantCode(t, err, CodePathNotFound, "selects nothing")
		})
	}
	t.Run("a null verifiableCredential is no credential", func(t *testing.T) {
		vp := decode(t, edit(t, vpRaw, func(v any) any {
			v.(map[string]any)["verifiableCredential"] = nil
			return v
		}))
		_, err := d.Evaluate(mustSubmission(t, subRaw), vp)
		wantCode(t, err, CodePathNotFound, "selects nothing")
	})
}

func sameMap(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	a["\x00probe"] = true
	_, same := b["\x00probe"]
	delete(a, "\x00probe")
	return same
}
