package pex

import (
	"fmt"
	"sort"
)

// Limited Disclosure Feature (constraints.limit_disclosure): "required -
// This indicates that the Conformant Consumer MUST limit submitted fields to
// those listed in the fields array (if present)."
//
// Enforced where the credential's format can disclose selectively: a
// credential whose every proof is a selective-disclosure one (BBS+ and its
// derived proofs, Data Integrity bbs-2023 and ecdsa-sd-2023) must not
// disclose a claim of its credentialSubject that no field's path asks for
// (id and type of a subject are structure, not claims). A credential under
// a proof that signs the whole document (JcsEd25519Signature2020,
// Ed25519Signature2020, ...) cannot be limited by its holder: it is
// accepted, and the Result notes that the rule could not be enforced.
//
// A wallet (Select) uses the same tree to cut such a credential down to the
// claims asked for, and then derives its selective-disclosure proof.

var selectiveProofTypes = map[string]bool{
	"BbsBlsSignature2020":           true,
	"BbsBlsSignatureProof2020":      true,
	"BbsBlsBoundSignature2020":      true,
	"BbsBlsBoundSignatureProof2020": true,
}

var selectiveCryptosuites = map[string]bool{"bbs-2023": true, "ecdsa-sd-2023": true}

// claimTree is the part of credentialSubject that a descriptor's fields ask
// for: a member is asked for when a path names it; all of a member's value
// is asked for when a path ends there or continues with a wildcard, index,
// filter or slice.
type claimTree struct {
	all      bool
	children map[string]*claimTree
}

func newClaimTree(fields []field) *claimTree {
	root := &claimTree{}
	for i := range fields {
		for _, p := range fields[i].paths {
			root.add(p.src)
		}
	}
	return root
}

// add records the claims path src asks for.
func (t *claimTree) add(src string) {
	var segs []segment
	complete := true
	for i := 1; i < len(src); {
		seg, next, want := nextSegment(src, i)
		if want != "" {
			complete = false
			break
		}
		segs = append(segs, seg)
		i = next
	}
	// Where the subject is: $.credentialSubject, or $.vc.credentialSubject in
	// a decoded JWT VC.
	switch {
	case len(segs) >= 1 && segs[0].name == "credentialSubject" && segs[0].index < 0:
		segs = segs[1:]
	case len(segs) >= 2 && segs[0].name == "vc" && segs[1].name == "credentialSubject" && segs[1].index < 0:
		segs = segs[2:]
	case len(segs) == 0 || (len(segs) == 1 && segs[0].name == "vc"):
		if !complete || len(segs) == 0 {
			t.all = true // "$..x", "$.*", "$": could reach any claim
		}
		return
	default:
		return // a member beside the subject ($.issuer, $.type, ...)
	}
	if len(segs) > 0 && segs[0].index >= 0 {
		segs = segs[1:] // credentialSubject[i]: one of several subjects
	}
	node := t
	for _, s := range segs {
		if node.all {
			return
		}
		if s.index >= 0 {
			break // into an array: all of it
		}
		if node.children == nil {
			node.children = map[string]*claimTree{}
		}
		child := node.children[s.name]
		if child == nil {
			child = &claimTree{}
			node.children[s.name] = child
		}
		node = child
	}
	node.all = true
	node.children = nil
}

// extra returns the first claim (as "credentialSubject.a.b") of cred that the
// tree does not ask for, or "".
func (t *claimTree) extra(cred map[string]any) string {
	if t.all {
		return ""
	}
	subj, ok := cred["credentialSubject"]
	if !ok {
		if vc, isObj := cred["vc"].(map[string]any); isObj {
			subj = vc["credentialSubject"]
		}
	}
	switch s := subj.(type) {
	case map[string]any:
		return t.extraIn(s, "credentialSubject", true)
	case []any:
		for i, e := range s {
			if m, isObj := e.(map[string]any); isObj {
				if x := t.extraIn(m, fmt.Sprintf("credentialSubject[%d]", i), true); x != "" {
					return x
				}
			}
		}
	}
	return ""
}

func (t *claimTree) extraIn(obj map[string]any, at string, subject bool) string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the same answer every time
	for _, k := range keys {
		if subject && (k == "id" || k == "type") {
			continue
		}
		child := t.children[k]
		switch {
		case child == nil:
			return at + "." + k
		case child.all:
			continue
		}
		m, isObj := obj[k].(map[string]any)
		if !isObj {
			return at + "." + k // a path into it selects nothing: none of it was asked for
		}
		if x := child.extraIn(m, at+"."+k, false); x != "" {
			return x
		}
	}
	return ""
}

// limit returns a copy of cred whose credentialSubject holds only what the
// tree asks for (and each subject's id and type); the rest of the credential
// is kept. cred itself is not changed.
func (t *claimTree) limit(cred map[string]any) map[string]any {
	out := make(map[string]any, len(cred))
	for k, v := range cred {
		out[k] = v
	}
	switch s := cred["credentialSubject"].(type) {
	case map[string]any:
		out["credentialSubject"] = t.limitIn(s, true)
	case []any:
		list := make([]any, len(s))
		for i, e := range s {
			if m, isObj := e.(map[string]any); isObj {
				list[i] = t.limitIn(m, true)
			} else {
				list[i] = e
			}
		}
		out["credentialSubject"] = list
	}
	return out
}

func (t *claimTree) limitIn(obj map[string]any, subject bool) map[string]any {
	out := map[string]any{}
	for k, v := range obj {
		if t.all || (subject && (k == "id" || k == "type")) {
			out[k] = v
			continue
		}
		child := t.children[k]
		switch {
		case child == nil:
		case child.all:
			out[k] = v
		default:
			if m, isObj := v.(map[string]any); isObj {
				out[k] = child.limitIn(m, false)
			}
		}
	}
	return out
}

// selectiveProof reports whether every proof of cred can disclose
// selectively, and otherwise the type of the first that cannot.
func selectiveProof(cred map[string]any) (bool, string) {
	var proofs []any
	switch p := cred["proof"].(type) {
	case map[string]any:
		proofs = []any{p}
	case []any:
		proofs = p
	}
	if len(proofs) == 0 {
		return false, "none"
	}
	for _, e := range proofs {
		pm, _ := e.(map[string]any)
		t, _ := pm["type"].(string)
		suite, _ := pm["cryptosuite"].(string)
		if !selectiveProofTypes[t] && !(t == "DataIntegrityProof" && selectiveCryptosuites[suite]) {
			if suite != "" {
				t += " " + suite
			}
			return false, t
		}
	}
	return true, ""
}

// checkDisclosure applies limit_disclosure to a credential: the reason to
// reject it ("" if none) and a note for the Result ("" if none).
func (desc *descriptor) checkDisclosure(cred map[string]any) (reason, note string) {
	if desc.limitDisclosure == "" {
		return "", ""
	}
	selective, proof := selectiveProof(cred)
	if !selective {
		if desc.limitDisclosure == "required" {
			return "", fmt.Sprintf("constraints.limit_disclosure is \"required\", but the credential's proof (%s) cannot disclose selectively; not enforced", proof)
		}
		return "", ""
	}
	extra := desc.disclosure.extra(cred)
	if extra == "" {
		return "", ""
	}
	msg := fmt.Sprintf("constraints.limit_disclosure is %q and the credential discloses %s, which no field asks for", desc.limitDisclosure, extra)
	if desc.limitDisclosure == "required" {
		return msg, ""
	}
	return "", msg
}
