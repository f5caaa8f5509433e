package pex

import (
	"fmt"
	"strings"

	"github.com/loginwithiota/verifier/internal/jsonx"
)

// Relational Constraint Feature: subject_is_issuer, is_holder, same_subject.
//
// pex checks what the documents say: whose subject, whose issuer, which
// holder. That the holder really signed the presentation (and the issuer the
// credential) is the caller's proof check; the verifier does it right after.
//
// The holder of a credential in a vp_token is the holder of the presentation
// that encloses it: its "holder" (a string, or an object with an id), else
// the DID of its proof's verificationMethod. A wallet selecting credentials
// names its own DIDs instead (SelectOptions.HolderDIDs).

// holderDirective is a compiled is_holder entry: fields are indexes into the
// descriptor's fields.
type holderDirective struct {
	label    string // "constraints.is_holder[0]"
	fields   []int
	required bool
}

// sameSubject is a compiled same_subject entry; its fields may belong to any
// descriptor.
type sameSubject struct {
	label    string // names the declaring descriptor and the entry
	fields   []fieldRef
	required bool
}

// checkSubjectIsIssuer: "required - This indicates that the Conformant
// Consumer MUST submit a response that has been self-issued" — the issuer is
// the subject of every credentialSubject.
func (desc *descriptor) checkSubjectIsIssuer(cred map[string]any) string {
	issuer := credentialIssuer(cred)
	if issuer == "" {
		return "the credential names no issuer"
	}
	ids, reason := subjectIDs(cred)
	if reason != "" {
		return reason
	}
	for _, id := range ids {
		if id != issuer {
			return "the credential is not self-issued: its issuer is not its subject"
		}
	}
	return ""
}

// checkIsHolder: "required - This indicates that the Conformant Consumer MUST
// include proof that the subject of each of the attributes identified by the
// field_id is the same as the entity submitting the response". The attributes
// of a credential are about its subject(s); when one of the directive's
// fields found a value, every subject of the credential must be one of
// holders. found lists the values the descriptor's fields found.
func (h *holderDirective) check(cred map[string]any, found []FieldValue, holders []string) string {
	submitted := false
	for _, f := range h.fields {
		if hasField(found, f) {
			submitted = true
			break
		}
	}
	if !submitted {
		return "" // no attribute submitted, nothing to bind
	}
	if len(holders) == 0 {
		return "no holder is known (the presentation has no holder and no proof naming one)"
	}
	ids, reason := subjectIDs(cred)
	if reason != "" {
		return reason
	}
	for _, id := range ids {
		if !containsString(holders, id) {
			if len(holders) == 1 {
				return fmt.Sprintf("the credential's subject %s is not the holder %s", quote(id), quote(holders[0]))
			}
			return fmt.Sprintf("the credential's subject %s is not one of the holder's DIDs", quote(id))
		}
	}
	return ""
}

// credentialIssuer returns the issuer's id: "issuer" as a string or an
// object's "id"; for a decoded JWT VC, vc.issuer or iss.
func credentialIssuer(cred map[string]any) string {
	if id := jsonx.ID(cred["issuer"]); id != "" {
		return id
	}
	if vc, ok := cred["vc"].(map[string]any); ok {
		if id := jsonx.ID(vc["issuer"]); id != "" {
			return id
		}
	}
	s, _ := cred["iss"].(string)
	return s
}

// subjectIDs returns the id of every credentialSubject (an object or an array
// of them; for a decoded JWT VC, vc.credentialSubject). reason says why there
// is none to compare: no subject, or a subject without an id.
func subjectIDs(cred map[string]any) (ids []string, reason string) {
	subj, ok := cred["credentialSubject"]
	if !ok {
		if vc, isObj := cred["vc"].(map[string]any); isObj {
			subj, ok = vc["credentialSubject"]
		}
	}
	if !ok {
		return nil, "the credential has no credentialSubject"
	}
	switch s := subj.(type) {
	case map[string]any:
		id, _ := s["id"].(string)
		if id == "" {
			return nil, "the credential's subject has no id"
		}
		return []string{id}, ""
	case []any:
		if len(s) == 0 {
			return nil, "the credential has no credentialSubject"
		}
		for _, e := range s {
			m, _ := e.(map[string]any)
			id, _ := m["id"].(string)
			if id == "" {
				return nil, "a subject of the credential has no id"
			}
			ids = append(ids, id)
		}
		return ids, ""
	}
	return nil, "the credential's credentialSubject is not an object"
}

// presentationHolder returns the DID of a presentation's holder: "holder" (a
// string or an object's id), else the DID part of its proof's
// verificationMethod. "" when neither says.
func presentationHolder(vp map[string]any) string {
	if id := jsonx.ID(vp["holder"]); id != "" {
		return id
	}
	proof := vp["proof"]
	if list, ok := proof.([]any); ok && len(list) > 0 {
		proof = list[0]
	}
	p, _ := proof.(map[string]any)
	vm := jsonx.ID(p["verificationMethod"])
	did, _, _ := strings.Cut(vm, "#")
	return did
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkSameSubject evaluates the definition's same_subject directives over
// the credentials that answered: "required - ... the subject of each of the
// attributes identified by the field_id is the same". Every credential
// carrying a value for one of a directive's fields must have the same single
// subject. It returns the directive that failed and why, or nil.
func (d *Definition) checkSameSubject(answers []answer, notes *[]Note) *Error {
	for k := range d.sameSubject {
		s := &d.sameSubject[k]
		first, firstDesc := "", ""
		reason := ""
		for i := range answers {
			a := &answers[i]
			if !s.involves(a) {
				continue
			}
			ids, why := subjectIDs(a.cred)
			if why == "" && len(ids) > 1 {
				for _, id := range ids[1:] {
					if id != ids[0] {
						why = "the credential has several different subjects"
					}
				}
			}
			if why != "" {
				reason = fmt.Sprintf("input descriptor %s: %s", quote(d.descriptors[a.desc].id), why)
				break
			}
			if first == "" {
				first, firstDesc = ids[0], d.descriptors[a.desc].id
				continue
			}
			if ids[0] != first {
				reason = fmt.Sprintf("the subject of the credential for input descriptor %s differs from that of input descriptor %s", quote(d.descriptors[a.desc].id), quote(firstDesc))
				break
			}
		}
		if reason == "" {
			continue
		}
		if !s.required {
			*notes = append(*notes, Note{Text: s.label + " (preferred) is not met: " + reason})
			continue
		}
		return newError(CodeSameSubject, "", "", "%s: %s", s.label, reason)
	}
	return nil
}

// involves reports whether answer a carries a value of one of the
// directive's fields.
func (s *sameSubject) involves(a *answer) bool {
	for _, r := range s.fields {
		if r.desc == a.desc && hasField(a.fields, r.field) {
			return true
		}
	}
	return false
}

func hasField(found []FieldValue, index int) bool {
	for i := range found {
		if found[i].index == index {
			return true
		}
	}
	return false
}
