package oid4vp

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Answer is a wallet's authorization response as posted
// (application/x-www-form-urlencoded), whatever the dialect.
type Answer struct {
	VPToken                string
	PresentationSubmission string
	State                  string
	// Error and ErrorDescription are set when the holder declined.
	Error, ErrorDescription string
	// Response is a direct_post.jwt response's JWE (1.0 §8.3.1), the
	// other parameters inside it.
	Response string
}

// answerParams may each appear once.
var answerParams = []string{ParamVPToken, ParamPresentationSubmission, ParamState, ParamError, ParamErrorDescription, ParamResponse}

// ParseForm reads an authorization response from its form. It refuses a
// repeated parameter and accepts the encodings wallets use for the two
// JSON-valued parameters (see jsonParam and formObject). What it returns
// is text for the verifier to decode; nothing here trusts it.
func ParseForm(form url.Values) (Answer, error) {
	// RFC 6749 §3.1: "Request and response parameters MUST NOT be included
	// more than once."
	for _, k := range answerParams {
		if len(form[k]) > 1 {
			return Answer{}, fmt.Errorf("%s is included more than once", k)
		}
	}
	a := Answer{
		VPToken:                jsonParam(form.Get(ParamVPToken)),
		PresentationSubmission: jsonParam(form.Get(ParamPresentationSubmission)),
		State:                  form.Get(ParamState),
		Error:                  form.Get(ParamError),
		ErrorDescription:       form.Get(ParamErrorDescription),
		Response:               form.Get(ParamResponse),
	}
	if _, ok := form[ParamPresentationSubmission]; !ok {
		sub, err := formObject(form, ParamPresentationSubmission)
		if err != nil {
			return Answer{}, err
		}
		a.PresentationSubmission = sub
	}
	return a, nil
}

// maxResponseDepth bounds the nesting of a decrypted response.
const maxResponseDepth = 64

// ParseJSONResponse reads the payload of a direct_post.jwt response: the
// response parameters "as top-level JSON members" (1.0 §8.3), vp_token a
// JSON object (or, for the dialects before 1.0, what their vp_token may
// be). JSON values come back as JSON text, as ParseForm gives them.
func ParseJSONResponse(payload []byte) (Answer, error) {
	if jsonDepth(payload) > maxResponseDepth {
		return Answer{}, fmt.Errorf("the response nests deeper than %d levels", maxResponseDepth)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(payload, &m); err != nil || m == nil {
		return Answer{}, errors.New("the decrypted response is not a JSON object")
	}
	str := func(k string) (string, error) {
		raw, ok := m[k]
		if !ok || string(raw) == "null" {
			return "", nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("%s is not a string", k)
		}
		return s, nil
	}
	// vp_token and presentation_submission: a JSON string is taken as its
	// text (a JWT, or JSON text), anything else as the JSON it is.
	text := func(k string) string {
		raw, ok := m[k]
		if !ok || string(raw) == "null" {
			return ""
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return string(raw)
	}
	var a Answer
	var err error
	if a.State, err = str(ParamState); err != nil {
		return Answer{}, err
	}
	if a.Error, err = str(ParamError); err != nil {
		return Answer{}, err
	}
	if a.ErrorDescription, err = str(ParamErrorDescription); err != nil {
		return Answer{}, err
	}
	a.VPToken, a.PresentationSubmission = text(ParamVPToken), text(ParamPresentationSubmission)
	if _, nested := m[ParamResponse]; nested {
		return Answer{}, errors.New("an encrypted response holds another response parameter")
	}
	return a, nil
}

// jsonDepth is the deepest nesting of arrays and objects in JSON text.
func jsonDepth(b []byte) int {
	d, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range b {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			d++
			deepest = max(deepest, d)
		case c == ']' || c == '}':
			d--
		}
	}
	return deepest
}

// jsonParam unwraps a JSON-valued parameter sent as a JSON string literal
// holding it ("\"eyJ...\"", "\"{\\\"id\\\": ...}\""), as wallets that
// JSON-encode every parameter do. Draft 20: vp_token is a "JSON String or
// JSON object", each presentation "represented as a JSON string (that is a
// Base64url encoded value) or a JSON object depending on a format"; a JWT
// presentation arrives bare or quoted, a JSON-LD one as an object or as
// the JSON text of one. Both readings are the same value: nothing about
// what the verifier checks changes.
func jsonParam(v string) string {
	t := strings.TrimSpace(v)
	if len(t) < 2 || t[0] != '"' {
		return v
	}
	var s string
	if json.Unmarshal([]byte(t), &s) != nil {
		return v
	}
	return s
}

// Bounds of a bracket-encoded object: real submissions have a handful of
// descriptors.
const (
	maxFormKeys  = 256
	maxFormDepth = 6
)

// formObject rebuilds a JSON object that a wallet's HTTP client sent in
// bracket notation (name[id]=…&name[descriptor_map][0][path]=…, the "qs"
// encoding of JavaScript clients) instead of as JSON text. Neither draft 20
// nor the profile says how a form carries a JSON object; their examples
// carry JSON text, and some clients encode objects this way. It returns ""
// when there are no such keys. Values stay strings: presentation_submission
// has no other kind of leaf.
func formObject(form url.Values, name string) (string, error) {
	prefix := name + "["
	var root map[string]any
	n := 0
	for key, vals := range form {
		rest, ok := strings.CutPrefix(key, prefix)
		if !ok {
			continue
		}
		if n++; n > maxFormKeys {
			return "", fmt.Errorf("%s has more than %d members", name, maxFormKeys)
		}
		if len(vals) != 1 {
			return "", fmt.Errorf("%s is included more than once", key)
		}
		path, err := bracketPath("[" + rest)
		if err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		if root == nil {
			root = map[string]any{}
		}
		if err := setPath(root, path, vals[0]); err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
	}
	if root == nil {
		return "", nil
	}
	b, err := json.Marshal(arrays(root))
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// bracketPath splits "[a][0][b]" into its names.
func bracketPath(s string) ([]string, error) {
	var out []string
	for s != "" {
		if s[0] != '[' {
			return nil, errors.New("malformed bracket notation")
		}
		end := strings.IndexByte(s, ']')
		if end < 1 {
			return nil, errors.New("malformed bracket notation")
		}
		out = append(out, s[1:end])
		s = s[end+1:]
		if len(out) > maxFormDepth {
			return nil, fmt.Errorf("nested deeper than %d levels", maxFormDepth)
		}
	}
	return out, nil
}

func setPath(m map[string]any, path []string, v string) error {
	for i, k := range path {
		if i == len(path)-1 {
			if _, taken := m[k]; taken {
				return errors.New("a member is given twice")
			}
			m[k] = v
			return nil
		}
		next, ok := m[k]
		if !ok {
			child := map[string]any{}
			m[k] = child
			m = child
			continue
		}
		child, ok := next.(map[string]any)
		if !ok {
			return errors.New("a member is both a value and an object")
		}
		m = child
	}
	return nil
}

// arrays turns objects whose keys are exactly 0..n-1 into arrays.
func arrays(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for k, c := range m {
		m[k] = arrays(c)
	}
	list := make([]any, len(m))
	for k, c := range m {
		i, err := strconv.Atoi(k)
		if err != nil || i < 0 || i >= len(m) || strconv.Itoa(i) != k {
			return m
		}
		list[i] = c
	}
	return list
}
