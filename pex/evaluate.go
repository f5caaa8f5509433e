package pex

// Result is a successful evaluation: one Match per descriptor_map entry, in
// descriptor_map order, and Notes on what was accepted without being fully
// checked or preferred but not met.
type Result struct {
	Matches []Match
	Notes   []Note
}

// Match is a credential that satisfies an input descriptor.
type Match struct {
	DescriptorID string
	Format       string // format of the innermost descriptor-map entry, e.g. "ldp_vc"
	Path         string // full path from the vp_token root, e.g. "$.verifiableCredential[0]" or "$[1].verifiableCredential[0]"
	Value        any    // the object the path led to (the credential; for a JWT its decoded view)
	// Raw is that object as it is in the vp_token: the JWT itself for a JWT
	// format, else the same as Value. Verification starts from it.
	Raw any
	// Fields holds, for each field of the descriptor's constraints that found
	// a value, in field order, what it found (an optional field that found
	// nothing is absent).
	Fields []FieldValue
}

// FieldValue is the value a field of an input descriptor found in a
// credential.
type FieldValue struct {
	ID             string // the field's id, if it has one
	Path           string // the field's path that selected the value
	Value          any
	IntentToRetain bool // the definition's intent_to_retain for the field
	index          int  // the field's index in the descriptor
}

// Note is an advisory outcome of an evaluation or selection: a "preferred"
// feature that is not met, or a "required" one that cannot be enforced on
// this credential (limit_disclosure under a proof that cannot disclose
// selectively). Text names the descriptor's member; it never holds a claim
// value.
type Note struct {
	DescriptorID string // "" for a note about the whole definition
	Path         string // vp_token path of the credential, if any
	Text         string
}

// Options are the inputs of an evaluation beyond the submission and the
// vp_token.
type Options struct {
	// Status reports the status of a credential for constraints.statuses.
	// Nil: statuses are unknown, and a status directive that needs one
	// ("required" or "disallowed") fails.
	Status StatusFunc
	// DecodeJWT decodes the JWTs of entries with a JWT format (jwt.go).
	// Nil: JWT formats are refused as unsupported.
	DecodeJWT JWTDecoder
}

// Evaluate is EvaluateWith without options: a definition with a statuses
// directive that needs the credential's status fails.
func (d *Definition) Evaluate(sub *Submission, vpToken any) (*Result, error) {
	return d.EvaluateWith(sub, vpToken, Options{})
}

// EvaluateWith checks that sub satisfies d for vpToken, the decoded JSON of
// the vp_token (a Verifiable Presentation object or an array of them, as
// encoding/json decodes into any). Every failure is an *Error whose Code says
// which rule failed:
//
//   - sub is not well formed (CodeInvalidSubmission) or names another
//     definition (CodeDefinitionMismatch);
//   - an entry names an id that is not an input descriptor of d
//     (CodeUnknownDescriptor); the descriptors answered do not meet the
//     submission_requirements (CodeRequirementNotMet) or, without them, an
//     input descriptor has no entry (CodeDescriptorMissing);
//   - an entry's path, or a path_nested path evaluated on what its parent
//     found, selects nothing (CodePathNotFound);
//   - a level's format is unsupported, not allowed by the descriptor's or the
//     definition's format, has a proof type not listed, or does not describe
//     the object found (CodeFormatMismatch);
//   - the credential does not match a v1.0.0 schema list (CodeSchemaMismatch),
//     lacks a required field (CodeFieldMissing), a field's value fails its
//     filter (CodeFilterFailed), or a required feature is not met
//     (CodeSubjectIsIssuer, CodeIsHolder, CodeLimitDisclosure, CodeStatus,
//     CodeSameSubject).
//
// Every entry must satisfy the descriptor it names. Evaluate checks
// structure and claims; proofs are the caller's to verify.
func (d *Definition) EvaluateWith(sub *Submission, vpToken any, opts Options) (*Result, error) {
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
	// Small definitions (the usual case) mark on the stack.
	var buf [16]bool
	answered := buf[:0]
	if len(d.descriptors) <= len(buf) {
		answered = buf[:len(d.descriptors)]
	} else {
		answered = make([]bool, len(d.descriptors))
	}
	for i := range sub.DescriptorMap {
		answered[d.index[sub.DescriptorMap[i].ID]] = true
	}
	if err := d.checkRequirements(answered); err != nil {
		return nil, err
	}
	res := &Result{Matches: make([]Match, len(sub.DescriptorMap))}
	for i := range sub.DescriptorMap {
		if err := d.evaluateEntry(&res.Matches[i], i, &sub.DescriptorMap[i], vpToken, &opts, &res.Notes); err != nil {
			return nil, err
		}
	}
	if len(d.sameSubject) > 0 {
		answers := make([]answer, len(res.Matches))
		for i := range res.Matches {
			m := &res.Matches[i]
			cred, _ := m.Value.(map[string]any)
			answers[i] = answer{desc: d.index[m.DescriptorID], cred: cred, fields: m.Fields}
		}
		if err := d.checkSameSubject(answers, &res.Notes); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// answer is a credential given for an input descriptor, for the checks that
// span descriptors (same_subject).
type answer struct {
	desc   int
	cred   map[string]any
	fields []FieldValue
}

func (d *Definition) indexOf(id string) int {
	if i, ok := d.index[id]; ok {
		return i
	}
	return -1
}

// evaluateEntry follows one descriptor_map entry down its path_nested chain
// and checks the credential at its end against the input descriptor.
func (d *Definition) evaluateEntry(m *Match, i int, entry *Descriptor, vpToken any, opts *Options, notes *[]Note) *Error {
	desc := &d.descriptors[d.indexOf(entry.ID)]
	cur, path := vpToken, ""
	var vp map[string]any    // the presentation that encloses the credential
	var jwtVP map[string]any // the current level's, when it is a decoded JWT presentation
	for level := entry; level != nil; level = level.PathNested {
		// "The path property inside each path_nested property provides a
		// relative path within a given nested value."
		v, enclosing, ok := lookupSimpleVP(level.Path, cur)
		if !ok && jwtVP != nil {
			v, _, ok = lookupSimpleVP(level.Path, jwtVP)
		}
		absolute := false
		if !ok && jwtVP == nil && under(level.Path, path) {
			// Wallets following OID4VP's array examples write path_nested
			// from the vp_token root ("$[0]" then "$[0].verifiableCredential[0]").
			// Accept that reading when the relative one selects nothing and
			// the path stays inside what the parent selected.
			v, enclosing, ok = lookupSimpleVP(level.Path, vpToken)
			absolute = ok
		}
		switch {
		case jwtVP != nil:
			vp = jwtVP
		case enclosing != nil:
			vp = enclosing
		}
		if path == "" || absolute {
			path = level.Path
		} else {
			path = joinPath(path, level.Path)
		}
		if !ok {
			return newError(CodePathNotFound, desc.id, path,
				"descriptor_map[%d] (input descriptor %s): path %s selects nothing in the vp_token", i, quote(desc.id), quote(path))
		}
		innermost := level.PathNested == nil
		raw := v
		jwtVP = nil
		if isJWTFormat(level.Format) && opts.DecodeJWT != nil {
			lv, reason := checkJWT(desc.formats, level.Format, v, innermost, opts.DecodeJWT)
			if reason != "" {
				return newError(CodeFormatMismatch, desc.id, path,
					"descriptor_map[%d] (input descriptor %s) at %s: %s", i, quote(desc.id), path, reason)
			}
			v, jwtVP = lv.view, lv.vp
		} else if reason := checkFormat(desc.formats, level.Format, v, innermost); reason != "" {
			return newError(CodeFormatMismatch, desc.id, path,
				"descriptor_map[%d] (input descriptor %s) at %s: %s", i, quote(desc.id), path, reason)
		}
		if innermost {
			m.Raw = raw
		}
		cur = v
		m.Format = level.Format
	}
	e := env{vp: vp, status: opts.Status}
	if err := desc.checkCredential(cur, path, &e, m, notes); err != nil {
		return err
	}
	m.DescriptorID, m.Path, m.Value = desc.id, path, cur
	return nil
}

// under reports whether path starts with parent, a non-root path, at a
// segment boundary: "$[0].verifiableCredential[0]" is under "$[0]".
func under(path, parent string) bool {
	if parent == "" || parent == "$" || len(path) <= len(parent) || path[:len(parent)] != parent {
		return false
	}
	c := path[len(parent)]
	return c == '.' || c == '['
}

// lookupSimpleVP is lookupSimple that also returns the last presentation
// (an object whose type includes VerifiablePresentation) that the path
// passes through, the found value excluded, or nil.
func lookupSimpleVP(path string, root any) (value any, vp map[string]any, ok bool) {
	if path == "" || path[0] != '$' {
		return nil, nil, false
	}
	cur := root
	prev := ""
	for i := 1; i < len(path); {
		seg, next, want := nextSegment(path, i)
		if want != "" {
			return nil, nil, false
		}
		i = next
		if seg.index < 0 {
			obj, isObj := cur.(map[string]any)
			if !isObj {
				return nil, nil, false
			}
			if hasType(obj["type"], "VerifiablePresentation") {
				vp = obj
			}
			if cur, ok = obj[seg.name]; !ok {
				return nil, nil, false
			}
			prev = seg.name
			continue
		}
		arr, isArr := cur.([]any)
		if !isArr && seg.index == 0 && prev == verifiableCredential && cur != nil {
			// One credential written as the value itself, not an array of
			// one: VC Data Model 1.1 §4.10, verifiableCredential "MUST be
			// constructed from one or more verifiable credentials", and in
			// JSON-LD a single value and an array holding only it are the
			// same set (JSON-LD 1.1, "Lists and Sets"). Wallets write
			// both (identity.rs 0.6: an object); the path wallets write,
			// $.verifiableCredential[0], selects that one credential.
			// Nothing else is read this way: the value is the presentation's
			// own verifiableCredential member, as an array item would be.
			prev = ""
			continue
		}
		if !isArr || seg.index >= len(arr) {
			return nil, nil, false
		}
		cur, prev = arr[seg.index], ""
	}
	return cur, vp, true
}

// verifiableCredential is the presentation member that holds credentials.
const verifiableCredential = "verifiableCredential"
