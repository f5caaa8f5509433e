package sdjwt_test

import (
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/sdjwt"
)

func TestIssueRefuses(t *testing.T) {
	s := sdjwt.Signer{Key: edKey(0)}
	for name, tc := range map[string]struct {
		claims map[string]any
		paths  []sdjwt.Path
		opts   sdjwt.IssueOptions
	}{
		"path selects nothing":   {map[string]any{"vct": testVCT, "a": 1}, []sdjwt.Path{{"b"}}, sdjwt.IssueOptions{}},
		"index out of range":     {map[string]any{"vct": testVCT, "a": []any{1}}, []sdjwt.Path{{"a", 3}}, sdjwt.IssueOptions{}},
		"vct disclosable":        {map[string]any{"vct": testVCT}, []sdjwt.Path{{"vct"}}, sdjwt.IssueOptions{}},
		"cnf disclosable":        {map[string]any{"vct": testVCT, "cnf": map[string]any{}}, []sdjwt.Path{{"cnf"}}, sdjwt.IssueOptions{}},
		"no vct":                 {map[string]any{"a": 1}, []sdjwt.Path{{"a"}}, sdjwt.IssueOptions{}},
		"reserved name":          {map[string]any{"vct": testVCT, "_sd": []any{}}, nil, sdjwt.IssueOptions{}},
		"_sd_alg set":            {map[string]any{"vct": testVCT, "_sd_alg": "sha-256"}, nil, sdjwt.IssueOptions{}},
		"unknown hash":           {map[string]any{"vct": testVCT}, nil, sdjwt.IssueOptions{HashAlg: "md5"}},
		"nested reserved name":   {map[string]any{"vct": testVCT, "a": map[string]any{"...": 1}}, nil, sdjwt.IssueOptions{}},
		"a key that cannot sign": {map[string]any{"vct": testVCT}, nil, sdjwt.IssueOptions{}},
	} {
		t.Run(name, func(t *testing.T) {
			signer := s
			if name == "a key that cannot sign" {
				signer = sdjwt.Signer{}
			}
			_, err := sdjwt.Issue(tc.claims, tc.paths, signer, tc.opts)
			wantCode(t, err, sdjwt.CodeIssue)
		})
	}
}

func TestIssueShape(t *testing.T) {
	f := newFixture(t)
	tok, err := sdjwt.Parse(f.issued, sdjwt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// 9 disclosures, no KB-JWT, salts of 128 bits, no two alike.
	if len(tok.Disclosures()) != 9 || tok.HasKeyBinding() || !strings.HasSuffix(f.issued, "~") {
		t.Fatalf("issued %d disclosures", len(tok.Disclosures()))
	}
	salts := map[string]bool{}
	for _, d := range tok.Disclosures() {
		if len(d.Salt) != 22 || salts[d.Salt] {
			t.Fatalf("salt %q", d.Salt)
		}
		salts[d.Salt] = true
	}
	if _, err := sdjwt.Present(f.present(t), nil, nil); err == nil {
		t.Fatal("Present accepts an SD-JWT+KB")
	}
	// The same claims issued twice share no disclosure.
	again := newFixture(t)
	if strings.Split(f.issued, "~")[1] == strings.Split(again.issued, "~")[1] {
		t.Fatal("salts repeat")
	}
}
