package pex

import "strings"

// Result is a successful evaluation: one Match per descriptor_map entry, in
// descriptor_map order.
type Result struct {
	Matches []Match
}

// Match is a credential that satisfies an input descriptor.
type Match struct {
	DescriptorID string
	Format       string // format of the innermost descriptor-map entry, e.g. "ldp_vc"
	Path         string // full path from the vp_token root, e.g. "$.verifiableCredential[0]" or "$[1].verifiableCredential[0]"
	Value        any    // the object the path led to (the credential)
}

// Evaluate checks that sub satisfies d for vpToken, the decoded JSON of the
// vp_token (a Verifiable Presentation object or an array of them, as
// encoding/json decodes into any). Every failure is an *Error whose Code says
// which rule failed:
//
//   - sub is not well formed (CodeInvalidSubmission) or names another
//     definition (CodeDefinitionMismatch);
//   - an entry names an id that is not an input descriptor of d
//     (CodeUnknownDescriptor), or an input descriptor has no entry
//     (CodeDescriptorMissing);
//   - an entry's path, or a path_nested path evaluated on what its parent
//     found, selects nothing (CodePathNotFound);
//   - a level's format is unsupported, not allowed by the descriptor's or the
//     definition's format, has a proof type not listed, or does not describe
//     the object found (CodeFormatMismatch);
//   - the credential lacks a required field (CodeFieldMissing) or a field's
//     value fails its filter (CodeFilterFailed).
//
// Evaluate checks structure only; proofs are the caller's to verify.
func (d *Definition) Evaluate(sub *Submission, vpToken any) (*Result, error) {
	if d == nil {
		return nil, newError(CodeDefinitionMismatch, "", "", "no presentation definition to evaluate against")
	}
	if err := checkSubmission(sub); err != nil {
		return nil, err
	}
	if sub.DefinitionID != d.id {
		return nil, newError(CodeDefinitionMismatch, "", "",
			"presentation_submission.definition_id %s is not the requested presentation definition %s", quote(sub.DefinitionID), quote(d.id))
	}
	for i := range sub.DescriptorMap {
		if id := sub.DescriptorMap[i].ID; d.indexOf(id) < 0 {
			return nil, newError(CodeUnknownDescriptor, "", "",
				"descriptor_map[%d] names %s, which is not an input descriptor of presentation definition %s", i, quote(id), quote(d.id))
		}
	}
	if err := d.requireDescriptors(sub); err != nil {
		return nil, err
	}
	res := &Result{Matches: make([]Match, len(sub.DescriptorMap))}
	for i := range sub.DescriptorMap {
		if err := d.evaluateEntry(&res.Matches[i], i, &sub.DescriptorMap[i], vpToken); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func (d *Definition) indexOf(id string) int {
	if i, ok := d.index[id]; ok {
		return i
	}
	return -1
}

// evaluateEntry follows one descriptor_map entry down its path_nested chain
// and checks the credential at its end against the input descriptor.
func (d *Definition) evaluateEntry(m *Match, i int, entry *Descriptor, vpToken any) *Error {
	desc := &d.descriptors[d.indexOf(entry.ID)]
	cur, path := vpToken, ""
	for level := entry; level != nil; level = level.PathNested {
		// "The path property inside each path_nested property provides a
		// relative path within a given nested value."
		v, ok := lookupSimple(level.Path, cur)
		if path == "" {
			path = level.Path
		} else {
			path = joinPath(path, level.Path)
		}
		if !ok {
			return newError(CodePathNotFound, desc.id, path,
				"descriptor_map[%d] (input descriptor %s): path %s selects nothing in the vp_token", i, quote(desc.id), quote(path))
		}
		if reason := checkFormat(desc.formats, level.Format, v, level.PathNested == nil); reason != "" {
			return newError(CodeFormatMismatch, desc.id, path,
				"descriptor_map[%d] (input descriptor %s) at %s: %s", i, quote(desc.id), path, reason)
		}
		cur = v
		m.Format = level.Format
	}
	if err := desc.evaluateFields(cur, path); err != nil {
		return err
	}
	m.DescriptorID, m.Path, m.Value = desc.id, path, cur
	return nil
}

// evaluateFields applies the descriptor's constraints.fields to the
// credential, in order ("Fields SHALL be processed forward from 0-index").
func (desc *descriptor) evaluateFields(cred any, at string) *Error {
	for fi := range desc.fields {
		f := &desc.fields[fi]
		found := false
		var failures []string
		for pi := range f.paths {
			v, ok := f.paths[pi].first(cred)
			if !ok {
				continue // "If the result returned no JSONPath match, skip to the next path array element."
			}
			found = true
			if f.filter == nil {
				failures = nil
				break
			}
			reason := f.filter.check(v)
			if reason == "" {
				failures = nil
				break
			}
			// "Else, skip to the next path array element."
			failures = append(failures, f.paths[pi].src+": "+reason)
		}
		switch {
		case !found && !f.optional:
			return newError(CodeFieldMissing, desc.id, at,
				"input descriptor %s, %s: none of its paths (%s) selects a value in the credential at %s", quote(desc.id), f.label, f.pathList, at)
		case len(failures) > 0:
			// Even an optional field: "Even when the optional property is
			// present, the value located at the indicated path of the field
			// MUST validate against the JSON Schema filter, if a filter is
			// present."
			return newError(CodeFilterFailed, desc.id, at,
				"input descriptor %s, %s: the value in the credential at %s does not satisfy the filter: %s", quote(desc.id), f.label, at, strings.Join(failures, "; "))
		}
	}
	return nil
}
