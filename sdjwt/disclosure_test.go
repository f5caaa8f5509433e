package sdjwt_test

import (
	"time"

	"strings"
	"testing"

	"github.com/loginwithiota/verifier/sdjwt"
)

// TestDisclosureFailures covers RFC 9901 §7.1's refusals on payloads
// signed by hand (Issue never makes them), each verified with a good
// signature so the failure is the disclosure's own.
func TestDisclosureFailures(t *testing.T) {
	iss := edKey(0)
	given := disclosure(t, "salt-1", "given_name", "Erika")
	family := disclosure(t, "salt-2", "family_name", "Mustermann")
	elem := disclosure(t, "salt-3", "FR")
	// make signs a payload with the given top-level members beside vct.
	make := func(members map[string]any, disclosures ...string) string {
		payload := map[string]any{"vct": testVCT, "_sd_alg": "sha-256"}
		for k, v := range members {
			payload[k] = v
		}
		return signRaw(t, iss, sdjwt.TypeDC, payload) + "~" + strings.Join(append(disclosures, ""), "~")
	}
	sd := func(ds ...string) []any {
		var out []any
		for _, d := range ds {
			out = append(out, digestOf(d))
		}
		return out
	}
	for _, tc := range []struct {
		name, pres, code string
	}{
		{"good", make(map[string]any{"_sd": sd(given, family)}, given, family), ""},
		{"unreferenced", make(map[string]any{"_sd": sd(given)}, given, family), sdjwt.CodeDisclosureUnreferenced},
		{"duplicate disclosure", make(map[string]any{"_sd": sd(given)}, given, given), sdjwt.CodeDisclosureDuplicate},
		{"digest twice in _sd", make(map[string]any{"_sd": sd(given, given)}, given), sdjwt.CodeDigestDuplicate},
		{"digest in _sd and in an array", make(map[string]any{"_sd": []any{"y"}, "a": []any{map[string]any{"...": "y"}}}), sdjwt.CodeDigestDuplicate},
		{"decoy twice", make(map[string]any{"_sd": []any{"x", "x"}}), sdjwt.CodeDigestDuplicate},
		{"claim clash", make(map[string]any{"_sd": sd(given), "given_name": "Max"}, given), sdjwt.CodeClaimClash},
		{"clash between two disclosures", make(map[string]any{"_sd": sd(given, disclosure(t, "salt-9", "given_name", "Max"))}, given, disclosure(t, "salt-9", "given_name", "Max")), sdjwt.CodeClaimClash},
		{"reserved _sd", make(map[string]any{"_sd": sd(disclosure(t, "s", "_sd", []any{}))}, disclosure(t, "s", "_sd", []any{})), sdjwt.CodeReservedName},
		{"reserved ...", make(map[string]any{"_sd": sd(disclosure(t, "s", "...", "x"))}, disclosure(t, "s", "...", "x")), sdjwt.CodeReservedName},
		{"array element disclosure in _sd", make(map[string]any{"_sd": sd(elem)}, elem), sdjwt.CodeDisclosureMalformed},
		{"claim disclosure in an array", make(map[string]any{"a": []any{map[string]any{"...": digestOf(given)}}}, given), sdjwt.CodeDisclosureMalformed},
		{"four elements", make(map[string]any{"_sd": sd(disclosure(t, "s", "n", "v", "w"))}, disclosure(t, "s", "n", "v", "w")), sdjwt.CodeDisclosureMalformed},
		{"salt not a string", make(map[string]any{"_sd": sd(disclosure(t, 1, "n", "v"))}, disclosure(t, 1, "n", "v")), sdjwt.CodeDisclosureMalformed},
		{"name not a string", make(map[string]any{"_sd": sd(disclosure(t, "s", 2, "v"))}, disclosure(t, "s", 2, "v")), sdjwt.CodeDisclosureMalformed},
		{"not base64url", make(map[string]any{}, "***"), sdjwt.CodeDisclosureMalformed},
		{"padded base64", make(map[string]any{"_sd": sd(given)}, given+"=="), sdjwt.CodeDisclosureMalformed},
		{"not a JSON array", make(map[string]any{}, "eyJhIjoxfQ"), sdjwt.CodeDisclosureMalformed},
		{"_sd not an array", make(map[string]any{"_sd": "x"}), sdjwt.CodeMalformed},
		{"_sd of numbers", make(map[string]any{"_sd": []any{1}}), sdjwt.CodeMalformed},
		{"... with another key", make(map[string]any{"a": []any{map[string]any{"...": "x", "b": 1}}}), sdjwt.CodeMalformed},
		{"... not a string", make(map[string]any{"a": []any{map[string]any{"...": 1}}}), sdjwt.CodeMalformed},
		{"... as a member", make(map[string]any{"a": map[string]any{"...": "x"}}), sdjwt.CodeMalformed},
		{"unknown _sd_alg", make(map[string]any{"_sd_alg": "sha-1"}), sdjwt.CodeHashAlg},
		{"_sd_alg not a string", make(map[string]any{"_sd_alg": 256}), sdjwt.CodeMalformed},
		{"sha-512 not listed", make(map[string]any{"_sd_alg": "sha-512"}), sdjwt.CodeHashAlg},
		{"empty disclosure", make(map[string]any{"_sd": sd(given)}, given, "", family), sdjwt.CodeMalformed},
		{"no tilde", signRaw(t, iss, sdjwt.TypeDC, map[string]any{"vct": testVCT}), sdjwt.CodeMalformed},
		{"not a JWS", "abc.def~", sdjwt.CodeMalformed},
		{"vct missing", signRaw(t, iss, sdjwt.TypeDC, map[string]any{"iss": testIssuer}) + "~", sdjwt.CodeClaims},
		{"vct disclosed", make(map[string]any{"_sd": sd(disclosure(t, "s", "iss", testIssuer))}, disclosure(t, "s", "iss", testIssuer)), sdjwt.CodeClaims},
		{"status idx negative", make(map[string]any{"status": map[string]any{"status_list": map[string]any{"idx": -1, "uri": "https://x"}}}), sdjwt.CodeClaims},
		{"status uri missing", make(map[string]any{"status": map[string]any{"status_list": map[string]any{"idx": 1}}}), sdjwt.CodeClaims},
		{"cnf not an object", make(map[string]any{"cnf": "x"}), sdjwt.CodeClaims},
		{"exp a string", make(map[string]any{"exp": "tomorrow"}), sdjwt.CodeClaims},
		{"iss a number", make(map[string]any{"iss": 1}), sdjwt.CodeClaims},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := sdjwt.Options{Keys: staticKeys{iss.Public()}, Now: func() time.Time { return now }}
			_, err := sdjwt.Verify(ctx, tc.pres, o)
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantCode(t, err, tc.code)
		})
	}
}

func TestHashAlgorithms(t *testing.T) {
	iss := edKey(0)
	issued, err := sdjwt.Issue(map[string]any{"vct": testVCT, "a": "b"}, []sdjwt.Path{{"a"}}, sdjwt.Signer{Key: iss}, sdjwt.IssueOptions{HashAlg: sdjwt.HashSHA512})
	if err != nil {
		t.Fatal(err)
	}
	o := sdjwt.Options{Keys: staticKeys{iss.Public()}, Now: func() time.Time { return now }}
	_, err = sdjwt.Verify(ctx, issued, o)
	wantCode(t, err, sdjwt.CodeHashAlg)
	o.HashAlgorithms = []string{sdjwt.HashSHA256, sdjwt.HashSHA512}
	c, err := sdjwt.Verify(ctx, issued, o)
	if err != nil || c.Claims["a"] != "b" || c.HashAlg != sdjwt.HashSHA512 {
		t.Fatalf("%v %v", err, c)
	}
}

func TestLimits(t *testing.T) {
	iss := edKey(0)
	o := sdjwt.Options{Keys: staticKeys{iss.Public()}, Now: func() time.Time { return now }}
	big := signRaw(t, iss, sdjwt.TypeDC, map[string]any{"vct": testVCT, "x": strings.Repeat("a", sdjwt.DefaultMaxBytes)}) + "~"
	_, err := sdjwt.Parse(big, o)
	wantCode(t, err, sdjwt.CodeTooLarge)

	many := signRaw(t, iss, sdjwt.TypeDC, map[string]any{"vct": testVCT}) + strings.Repeat("~WyJhIiwiYiJd", sdjwt.DefaultMaxDisclosures+1) + "~"
	_, err = sdjwt.Parse(many, o)
	wantCode(t, err, sdjwt.CodeTooLarge)

	deep := signRaw(t, iss, sdjwt.TypeDC, map[string]any{"vct": testVCT}) + "~" +
		disclosure(t, "s", "n", nest(sdjwt.DefaultMaxDepth+1)) + "~"
	_, err = sdjwt.Parse(deep, o)
	wantCode(t, err, sdjwt.CodeTooLarge)

	deepPayload := signRaw(t, iss, sdjwt.TypeDC, map[string]any{"vct": testVCT, "x": nest(sdjwt.DefaultMaxDepth)}) + "~"
	_, err = sdjwt.Parse(deepPayload, o)
	wantCode(t, err, sdjwt.CodeTooLarge)

	// Recursive disclosures, each shallow, nest deep together.
	inner := disclosure(t, "s0", "v", "x")
	chain := []string{inner}
	for i := 1; i <= sdjwt.DefaultMaxDepth; i++ {
		d := disclosure(t, "s"+string(rune('a'+i%26))+strings.Repeat("x", i), "v", map[string]any{"_sd": []any{digestOf(chain[len(chain)-1])}})
		chain = append(chain, d)
	}
	top := signRaw(t, iss, sdjwt.TypeDC, map[string]any{"vct": testVCT, "_sd": []any{digestOf(chain[len(chain)-1])}})
	_, err = sdjwt.Parse(top+"~"+strings.Join(chain, "~")+"~", o)
	wantCode(t, err, sdjwt.CodeTooLarge)

	o.Limits = sdjwt.Limits{MaxDisclosures: 1}
	f := newFixture(t)
	_, err = sdjwt.Parse(f.present(t, sdjwt.Path{"given_name"}, sdjwt.Path{"family_name"}), o)
	wantCode(t, err, sdjwt.CodeTooLarge)
}

func nest(n int) any {
	var v any = "leaf"
	for range n {
		v = []any{v}
	}
	return v
}
