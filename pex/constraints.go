package pex

import (
	"fmt"
	"strings"
)

// env is what checking one credential needs beyond the credential: who the
// holder is and how to learn a credential's status.
type env struct {
	vp      map[string]any // the enclosing presentation (Evaluate), or nil
	holders []string       // Select: the wallet's DIDs; Evaluate: from vp, when first needed
	status  StatusFunc
}

func (e *env) holderDIDs() []string {
	if e.holders == nil && e.vp != nil {
		if h := presentationHolder(e.vp); h != "" {
			e.holders = []string{h}
		}
	}
	return e.holders
}

// checkCredential applies the input descriptor's constraints to the
// credential cred found at path at (everything but its format, which the
// caller checked): the v1.0.0 schema list, the fields in order ("Fields SHALL
// be processed forward from 0-index"), subject_is_issuer, is_holder,
// limit_disclosure and statuses. It fills m.Fields and appends notes.
func (desc *descriptor) checkCredential(cred any, at string, e *env, m *Match, notes *[]Note) *Error {
	obj, _ := cred.(map[string]any)
	if len(desc.schemas) > 0 {
		if reason := desc.checkSchemaURIs(obj); reason != "" {
			return desc.fail(CodeSchemaMismatch, at, "schema", reason)
		}
	}
	fields, err := desc.evaluateFields(cred, at)
	if err != nil {
		return err
	}
	m.Fields = fields
	if desc.subjectIsIssuer != "" {
		if reason := desc.checkSubjectIsIssuer(obj); reason != "" {
			if desc.subjectIsIssuer == "required" {
				return desc.fail(CodeSubjectIsIssuer, at, "constraints.subject_is_issuer", reason)
			}
			desc.note(notes, at, "constraints.subject_is_issuer (preferred) is not met: "+reason)
		}
	}
	for k := range desc.isHolder {
		h := &desc.isHolder[k]
		if reason := h.check(obj, fields, e.holderDIDs()); reason != "" {
			if h.required {
				return desc.fail(CodeIsHolder, at, h.label, reason)
			}
			desc.note(notes, at, h.label+" (preferred) is not met: "+reason)
		}
	}
	if desc.limitDisclosure != "" {
		reason, note := desc.checkDisclosure(obj)
		if reason != "" {
			return desc.fail(CodeLimitDisclosure, at, "constraints.limit_disclosure", reason)
		}
		if note != "" {
			desc.note(notes, at, note)
		}
	}
	if reason := desc.statuses.check(obj, e.status); reason != "" {
		return desc.fail(CodeStatus, at, "constraints.statuses", reason)
	}
	return nil
}

func (desc *descriptor) fail(code, at, member, reason string) *Error {
	e := newError(code, desc.id, at, "input descriptor %s, %s: the credential at %s: %s", quote(desc.id), member, at, reason)
	e.Field = member
	return e
}

func (desc *descriptor) note(notes *[]Note, at, text string) {
	*notes = append(*notes, Note{DescriptorID: desc.id, Path: at, Text: "input descriptor " + quote(desc.id) + ", the credential at " + at + ": " + text})
}

// evaluateFields applies the descriptor's constraints.fields to the
// credential, in order, and returns what each field found.
func (desc *descriptor) evaluateFields(cred any, at string) ([]FieldValue, *Error) {
	if len(desc.fields) == 0 {
		return nil, nil
	}
	found := make([]FieldValue, 0, len(desc.fields))
	for fi := range desc.fields {
		f := &desc.fields[fi]
		matched, present := -1, false
		var value any
		var failures []string
		for pi := range f.paths {
			v, ok := f.paths[pi].first(cred)
			if !ok {
				continue // "If the result returned no JSONPath match, skip to the next path array element."
			}
			present = true
			reason := f.check(v, cred)
			if reason == "" {
				matched, value = pi, v
				break
			}
			// "Else, skip to the next path array element."
			failures = append(failures, f.paths[pi].src+": "+reason)
		}
		switch {
		case matched >= 0:
			found = append(found, FieldValue{ID: f.id, Path: f.paths[matched].src, Value: value, IntentToRetain: f.intentToRetain, index: fi})
		case !present && f.optional:
		case !present:
			e := newError(CodeFieldMissing, desc.id, at,
				"input descriptor %s, %s: none of its paths (%s) selects a value in the credential at %s", quote(desc.id), f.label, f.pathList, at)
			e.Field = f.label
			return nil, e
		default:
			// Even an optional field: "Even when the optional property is
			// present, the value located at the indicated path of the field
			// MUST validate against the JSON Schema filter, if a filter is
			// present."
			e := newError(CodeFilterFailed, desc.id, at,
				"input descriptor %s, %s: the value in the credential at %s does not satisfy the filter: %s", quote(desc.id), f.label, at, strings.Join(failures, "; "))
			e.Field = f.label
			return nil, e
		}
	}
	return found, nil
}

// check returns "" when v, found in cred, satisfies the field's filter.
//
// Predicate Feature: with "predicate", the holder may return "the boolean
// result of applying the value of the filter property to the result of
// evaluating the path property" instead of the value. A boolean true counts
// only in a credential whose proofs disclose selectively (a derived proof
// can carry it; an issuer's signature over the whole document cannot have
// signed the holder's predicate); false is the predicate failing. Any other
// value must satisfy the filter itself.
func (f *field) check(v, cred any) string {
	if f.filter == nil {
		return ""
	}
	if b, isBool := v.(bool); isBool && f.predicate != "" {
		obj, _ := cred.(map[string]any)
		if selective, _ := selectiveProof(obj); selective {
			if b {
				return ""
			}
			return fmt.Sprintf("the predicate (%s) result in the credential is false", f.predicate)
		}
	}
	return f.filter.check(v)
}
