package pex

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Submission is a presentation_submission: how the wallet maps the input
// descriptors of a definition to claims in its vp_token.
type Submission struct {
	ID            string       `json:"id"`
	DefinitionID  string       `json:"definition_id"`
	DescriptorMap []Descriptor `json:"descriptor_map"`
}

// Descriptor is one input descriptor mapping object of a descriptor_map, or a
// path_nested inside one.
type Descriptor struct {
	ID         string      `json:"id"`
	Format     string      `json:"format"`
	Path       string      `json:"path"`
	PathNested *Descriptor `json:"path_nested,omitempty"`
}

// maxNesting bounds path_nested depth: real envelopes nest once or twice.
const maxNesting = 8

// submissionJSON tells a missing member from an empty one.
type submissionJSON struct {
	ID            *string           `json:"id"`
	DefinitionID  *string           `json:"definition_id"`
	DescriptorMap *[]descriptorJSON `json:"descriptor_map"`
}

type descriptorJSON struct {
	ID         *string         `json:"id"`
	Format     *string         `json:"format"`
	Path       *string         `json:"path"`
	PathNested *descriptorJSON `json:"path_nested"`
}

// ParseSubmission parses a presentation_submission (the object itself, as the
// wallet posts it) and checks that it is well formed: id, definition_id and a
// non-empty descriptor_map; in every entry and path_nested an id (the same at
// every level), a format and a definite JSONPath ($, .name, ['name'],
// [index]). Unknown members are ignored. Every error is an *Error with
// CodeInvalidSubmission.
func ParseSubmission(raw []byte) (*Submission, error) {
	var w submissionJSON
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, invalidSubmission("presentation_submission: %s", describeJSONError(err))
	}
	sub := &Submission{}
	if w.ID != nil {
		sub.ID = *w.ID
	}
	if w.DefinitionID != nil {
		sub.DefinitionID = *w.DefinitionID
	}
	if w.DescriptorMap != nil {
		sub.DescriptorMap = make([]Descriptor, len(*w.DescriptorMap))
		for i := range *w.DescriptorMap {
			if err := convertDescriptor(&sub.DescriptorMap[i], &(*w.DescriptorMap)[i], fmt.Sprintf("descriptor_map[%d]", i), 0); err != nil {
				return nil, err
			}
		}
	}
	if err := checkSubmission(sub); err != nil {
		return nil, err
	}
	return sub, nil
}

func convertDescriptor(out *Descriptor, in *descriptorJSON, at string, depth int) *Error {
	if depth >= maxNesting {
		return invalidSubmission("%s: path_nested deeper than %d levels", at, maxNesting)
	}
	for _, m := range []struct {
		name string
		v    *string
		dst  *string
	}{{"id", in.ID, &out.ID}, {"format", in.Format, &out.Format}, {"path", in.Path, &out.Path}} {
		if m.v == nil {
			return invalidSubmission("%s: %s is required", at, m.name)
		}
		*m.dst = *m.v
	}
	if in.PathNested != nil {
		out.PathNested = &Descriptor{}
		return convertDescriptor(out.PathNested, in.PathNested, at+".path_nested", depth+1)
	}
	return nil
}

// checkSubmission checks the well-formedness rules on a Submission however it
// was made (ParseSubmission, or a caller's own decoding). It does not
// allocate when the submission is well formed.
func checkSubmission(sub *Submission) *Error {
	switch {
	case sub == nil:
		return invalidSubmission("presentation_submission is missing")
	case sub.ID == "":
		return invalidSubmission("presentation_submission: id is required")
	case sub.DefinitionID == "":
		return invalidSubmission("presentation_submission: definition_id is required")
	case len(sub.DescriptorMap) == 0:
		return invalidSubmission("presentation_submission: descriptor_map must be a non-empty array")
	}
	for i := range sub.DescriptorMap {
		top := &sub.DescriptorMap[i]
		depth := 0
		for e := top; e != nil; e = e.PathNested {
			if depth >= maxNesting {
				return invalidSubmission("descriptor_map[%d]: path_nested deeper than %d levels", i, maxNesting)
			}
			depth++
			switch {
			case e.ID == "":
				return invalidSubmission("descriptor_map[%d]: id is required at every level", i)
			case e.ID != top.ID:
				// "The id property MUST be the same for each level of nesting."
				return invalidSubmission("descriptor_map[%d]: path_nested id %s differs from the entry's id %s", i, quote(e.ID), quote(top.ID))
			case e.Format == "":
				return invalidSubmission("descriptor_map[%d] (%s): format is required at every level", i, quote(top.ID))
			}
			if err := checkSimplePath(e.Path); err != nil {
				return invalidSubmission("descriptor_map[%d] (%s): path: %v", i, quote(top.ID), err)
			}
		}
	}
	return nil
}

func invalidSubmission(format string, args ...any) *Error {
	return newError(CodeInvalidSubmission, "", "", format, args...)
}

// describeJSONError words a decoding error for the wallet without Go type
// names.
func describeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if typeErr.Field == "" {
			return fmt.Sprintf("must be a JSON object, not %s", typeErr.Value)
		}
		return fmt.Sprintf("member %s must not be a JSON %s", quote(typeErr.Field), typeErr.Value)
	}
	return "not valid JSON: " + err.Error()
}
