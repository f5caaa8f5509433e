package verifier

import (
	"testing"
)

const testJWT = "eyJhbGciOiJFZERTQSJ9.eyJ2cCI6e319.c2ln"

func TestParseVPToken(t *testing.T) {
	cases := []struct {
		name    string
		raw     string
		formats []string // "" = error
	}{
		{"bare JWT", testJWT, []string{FormatJWTVP}},
		{"JWT with spaces", "  " + testJWT + "\n", []string{FormatJWTVP}},
		{"JSON string", `"` + testJWT + `"`, []string{FormatJWTVP}},
		{"ldp_vp", `{"type":"VerifiablePresentation"}`, []string{FormatLDPVP}},
		{"mixed array", `["` + testJWT + `",{"type":"VerifiablePresentation"}]`, []string{FormatJWTVP, FormatLDPVP}},
		{"empty", "", nil},
		{"empty array", "[]", nil},
		{"a number", "42", nil},
		{"a string that is no JWT", `"hello"`, nil},
		{"array with a number", `[1]`, nil},
		{"two segments", "eyJhbGciOiJFZERTQSJ9.eyJ2cCI6e319", nil},
		{"not JSON", "{", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, items, err := parseVPToken(tc.raw)
			if tc.formats == nil {
				if err == nil {
					t.Fatalf("want an error, got %d items", len(items))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != len(tc.formats) {
				t.Fatalf("%d items", len(items))
			}
			for i, it := range items {
				if it.format() != tc.formats[i] {
					t.Errorf("item %d: %s, want %s", i, it.format(), tc.formats[i])
				}
			}
		})
	}
}

// FuzzParseVPToken: vp_token is wallet input; parsing it must not panic,
// and what it accepts is presentations only.
func FuzzParseVPToken(f *testing.F) {
	for _, s := range []string{testJWT, `"` + testJWT + `"`, `[{"a":1},"` + testJWT + `"]`, `{}`, `[]`, `"x.y.z"`, "a.b.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		_, items, err := parseVPToken(raw)
		if err != nil {
			return
		}
		if len(items) == 0 {
			t.Fatal("accepted with no presentation")
		}
		for _, it := range items {
			if (it.jwt == "") == (it.ldp == nil) {
				t.Fatalf("item %+v is neither or both", it)
			}
		}
	})
}
