package pex

import (
	"context"
	"reflect"
	"strconv"
	"testing"

	"github.com/PaesslerAG/jsonpath"
)

func TestCheckSimplePath(t *testing.T) {
	valid := []string{"$", "$.a", "$.verifiableCredential[0]", "$[12].a_b.c9", `$['@context'][0]`, `$["a b"]`, "$['']", "$.ä", "$[0][1][2]", "$[123456789]"}
	invalid := []string{"", "a", "$.", "$..a", "$.*", "$[*]", "$[0,1]", "$[0:1]", "$[-1]", "$[01]", "$[1234567890]", "$[?(@.a)]", "$[(@.length-1)]",
		"$['a", `$['a\'b']`, "$['a'", "$[0", "$.a-b", "$.9a", "$ .a", "$.a ", "$$", "$[]", `$["a']`}
	for _, p := range valid {
		if err := checkSimplePath(p); err != nil {
			t.Errorf("%q: %v", p, err)
		}
	}
	for _, p := range invalid {
		if err := checkSimplePath(p); err == nil {
			t.Errorf("%q accepted", p)
		}
	}
}

func TestLookupSimple(t *testing.T) {
	doc := decode(t, []byte(`{"a":{"b":[1,{"c":null}],"@context":"x","0":"zero"},"arr":[10,20]}`))
	cases := []struct {
		path string
		want any
		ok   bool
	}{
		{"$", doc, true},
		{"$.a.b[0]", 1.0, true},
		{"$.a.b[1].c", nil, true}, // present, null
		{"$['a']['@context']", "x", true},
		{`$["arr"][1]`, 20.0, true},
		{"$.a.b[2]", nil, false},
		{"$.a.x", nil, false},
		{"$.a[0]", nil, false},     // an index selects nothing in an object
		{`$.arr["0"]`, nil, false}, // a name selects nothing in an array
		{"$.arr[0].x", nil, false},
		{"$.a.b[*]", nil, false}, // not simple
		{"a", nil, false},
	}
	for _, tc := range cases {
		got, ok := lookupSimple(tc.path, doc)
		if ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s = %v, %v; want %v, %v", tc.path, got, ok, tc.want, tc.ok)
		}
	}
	if n := testing.AllocsPerRun(100, func() { lookupSimple("$.a.b[1].c", doc) }); n != 0 {
		t.Errorf("lookupSimple allocates %v times", n)
	}
}

func TestJoinPath(t *testing.T) {
	for _, tc := range [][3]string{
		{"$", "$.verifiableCredential[0]", "$.verifiableCredential[0]"},
		{"$[1]", "$.verifiableCredential[0]", "$[1].verifiableCredential[0]"},
		{"$.vp", "$", "$.vp"},
	} {
		if got := joinPath(tc[0], tc[1]); got != tc[2] {
			t.Errorf("joinPath(%q, %q) = %q, want %q", tc[0], tc[1], got, tc[2])
		}
	}
}

// Field paths: simple ones are walked directly; the rest go to PaesslerAG,
// which must be told apart as definite or ambiguous.
func TestCompileFieldPath(t *testing.T) {
	cases := []struct {
		path      string
		simple    bool
		ambiguous bool
	}{
		{"$.type", true, false},
		{"$['@context']", true, false},
		{"$.a[*]", false, true},
		{"$.*", false, true},
		{"$..id", false, true},
		{"$.a[0:2]", false, true},
		{`$["a","b"]`, false, true},
		{"$.a[?(@.b == 1)]", false, true},
		{"$.a[(1)]", false, false},   // script subscript: definite
		{"$. a", false, false},       // whitespace: PaesslerAG accepts it
		{"$.a.b[1.5]", false, false}, // non-integer index: PaesslerAG truncates
	}
	for _, tc := range cases {
		p, err := compileFieldPath(tc.path)
		if err != nil {
			t.Errorf("%s: %v", tc.path, err)
			continue
		}
		if (p.eval == nil) != tc.simple || p.ambiguous != tc.ambiguous {
			t.Errorf("%s: simple=%v ambiguous=%v, want %v %v", tc.path, p.eval == nil, p.ambiguous, tc.simple, tc.ambiguous)
		}
	}
	for _, bad := range []string{"", "type", "$.", "$[", "$.a == 1 &&", "$['ab','cd']"} {
		if _, err := compileFieldPath(bad); err == nil {
			t.Errorf("%q compiled", bad)
		}
	}
}

// The direct walk agrees with PaesslerAG on every simple path PaesslerAG
// compiles, wherever both find a value, over a real credential.
func TestLookupSimpleAgreesWithPaesslerAG(t *testing.T) {
	vp := decode(t, benchFile(t, "vp3-jcs.json"))
	var paths []string
	var collect func(prefix string, v any, depth int)
	collect = func(prefix string, v any, depth int) {
		paths = append(paths, prefix)
		if depth > 6 {
			return
		}
		switch t := v.(type) {
		case map[string]any:
			for k, c := range t {
				if checkSimplePath(prefix+"."+k) == nil {
					collect(prefix+"."+k, c, depth+1)
				} else {
					collect(prefix+`["`+k+`"]`, c, depth+1)
				}
			}
		case []any:
			for i, c := range t {
				collect(prefix+"["+strconv.Itoa(i)+"]", c, depth+1)
			}
		}
	}
	collect("$", vp, 0)
	if len(paths) < 200 {
		t.Fatalf("only %d paths", len(paths))
	}
	for _, p := range paths {
		comparePaesslerAG(t, p, vp)
	}
}

// comparePaesslerAG fails if the simple walk and PaesslerAG disagree on a
// value both find, or the walk finds one PaesslerAG does not.
func comparePaesslerAG(t testing.TB, path string, doc any) {
	t.Helper()
	if checkSimplePath(path) != nil {
		return
	}
	eval, err := jsonpath.New(path)
	if err != nil {
		return // ['single quoted'] names: PaesslerAG reads them as Go runes
	}
	mine, ok := lookupSimple(path, doc)
	theirs, err := eval(context.Background(), doc)
	if ok && (err != nil || !reflect.DeepEqual(mine, theirs)) {
		t.Fatalf("%s: walk = %v, PaesslerAG = %v (%v)", path, mine, theirs, err)
	}
}
