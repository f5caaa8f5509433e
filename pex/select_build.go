package pex

import (
	"crypto/rand"
	"fmt"
)

// assign picks, for each chosen descriptor, one of its candidates: a
// credential already picked is preferred (fewer credentials disclosed), and
// the required same_subject directives must hold. picks[i] indexes
// cands[i], -1 for a descriptor not chosen.
func (d *Definition) assign(chosen []bool, cands [][]candidate, credentials []any) ([]int, []Note, error) {
	var order []int
	for i, ok := range chosen {
		if ok {
			order = append(order, i)
		}
	}
	picks := make([]int, len(chosen))
	for i := range picks {
		picks[i] = -1
	}
	used := map[int]int{} // credential -> how many picks use it
	var firstErr *Error
	var notes []Note
	leaves := 0
	var search func(k int) bool
	search = func(k int) bool {
		if k == len(order) {
			leaves++
			notes = notes[:0]
			err := d.checkSameSubject(d.answers(order, picks, cands, credentials), &notes)
			if err != nil && firstErr == nil {
				firstErr = err
			}
			return err == nil
		}
		i := order[k]
		// Credentials already used first, then the rest, each in input order.
		for pass := 0; pass < 2; pass++ {
			for c := range cands[i] {
				if (used[cands[i][c].cred] > 0) != (pass == 0) {
					continue
				}
				picks[i] = c
				used[cands[i][c].cred]++
				ok := search(k + 1)
				used[cands[i][c].cred]--
				if ok {
					return true
				}
				if leaves > maxSearch || len(d.sameSubject) == 0 {
					return false
				}
			}
		}
		picks[i] = -1
		return false
	}
	if !search(0) {
		if firstErr == nil {
			firstErr = newError(CodeSameSubject, "", "", "no assignment of the wallet's credentials meets same_subject within the search limit")
		}
		return nil, nil, firstErr
	}
	for _, i := range order {
		notes = append(notes, cands[i][picks[i]].notes...)
	}
	return picks, notes, nil
}

func (d *Definition) answers(order, picks []int, cands [][]candidate, credentials []any) []answer {
	out := make([]answer, 0, len(order))
	for _, i := range order {
		c := &cands[i][picks[i]]
		cred, _ := credentials[c.cred].(map[string]any)
		if c.view != nil {
			cred = c.view
		}
		out = append(out, answer{desc: i, cred: cred, fields: c.fields})
	}
	return out
}

// buildSelection lays the picks out as one presentation and its submission.
// A credential answering several descriptors is presented once, except
// where a descriptor limits disclosure and the credential can disclose
// selectively: that descriptor gets its own copy, cut down to its own
// fields, since the verifier checks each descriptor's limit on the
// credential its entry points to.
func (d *Definition) buildSelection(chosen []bool, picks []int, notes []Note, credentials []any, pf string, cands [][]candidate) *Selection {
	sel := &Selection{Notes: notes}
	slot := map[int]int{} // credential index -> position of its whole copy
	sub := &Submission{ID: newUUID(), DefinitionID: d.id}
	nested := "$.verifiableCredential[%d]"
	if jwtPresentation(pf) {
		nested = "$.vp.verifiableCredential[%d]"
	}
	for i, ok := range chosen {
		if !ok {
			continue
		}
		desc := &d.descriptors[i]
		c := &cands[i][picks[i]]
		cred, _ := credentials[c.cred].(map[string]any)
		var limited map[string]any
		if desc.limitDisclosure != "" {
			if selective, _ := selectiveProof(cred); selective {
				limited = desc.disclosure.limit(cred)
			}
		}
		pos, seen := slot[c.cred]
		if limited != nil || !seen {
			pos = len(sel.Credentials)
			if limited == nil {
				slot[c.cred] = pos
			}
			sel.Credentials = append(sel.Credentials, SelectedCredential{Index: c.cred, Format: c.format, Limited: limited})
		}
		sc := &sel.Credentials[pos]
		sc.DescriptorIDs = append(sc.DescriptorIDs, desc.id)
		sub.DescriptorMap = append(sub.DescriptorMap, Descriptor{ID: desc.id, Format: pf, Path: "$",
			PathNested: &Descriptor{ID: desc.id, Format: c.format, Path: fmt.Sprintf(nested, pos)}})
	}
	sel.Submission = sub
	return sel
}

// newUUID returns a random (version 4) UUID for a submission id: "a unique
// identifier, such as a UUID".
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
