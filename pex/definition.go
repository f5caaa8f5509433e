package pex

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Definition is a parsed, validated and compiled presentation definition. It
// is immutable and safe for concurrent use.
type Definition struct {
	id           string
	json         []byte          // compact, as given
	format       json.RawMessage // definition-level format, for Formats
	descriptors  []descriptor
	index        map[string]int // input descriptor id -> descriptors index
	requirements []submissionRequirementJSON
}

// descriptor is a compiled input descriptor.
type descriptor struct {
	id      string
	groups  []string
	formats *formatSet // effective: the descriptor's own format, else the definition's
	fields  []field
}

// field is a compiled fields object of a descriptor's constraints.
type field struct {
	label    string      // "constraints.fields[2]" (with the field's id, if any), for messages
	paths    []fieldPath // tried in order; the first that selects a value counts
	pathList string      // the paths, comma-separated, for messages
	filter   *filter     // nil: any value satisfies
	optional bool
}

// ParseDefinition parses, validates and compiles a presentation definition
// (the JSON object itself, DIF PE v1 or v2). Every JSONPath and JSON Schema
// filter is compiled here, once. Errors name the definition, the input
// descriptor, the field and the reason.
func ParseDefinition(raw []byte) (*Definition, error) {
	var w definitionJSON
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("pex: presentation definition: %w", err)
	}
	if w.ID == nil || *w.ID == "" {
		if len(w.Envelope) > 0 {
			return nil, errors.New(`pex: presentation definition: id is required (this JSON is an envelope {"presentation_definition": {...}}; pass the inner object)`)
		}
		return nil, errors.New("pex: presentation definition: id is required")
	}
	d := &Definition{id: *w.ID}
	if err := d.compile(&w); err != nil {
		return nil, fmt.Errorf("pex: presentation definition %s: %w", quote(d.id), err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, fmt.Errorf("pex: presentation definition %s: %w", quote(d.id), err)
	}
	d.json = buf.Bytes()
	return d, nil
}

func (d *Definition) compile(w *definitionJSON) error {
	if len(w.InputDescriptors) == 0 {
		return errors.New("input_descriptors must be a non-empty array")
	}
	defFormats, err := parseFormats(w.Format)
	if err != nil {
		return err
	}
	if defFormats != nil {
		d.format = w.Format
	}
	d.descriptors = make([]descriptor, len(w.InputDescriptors))
	d.index = make(map[string]int, len(w.InputDescriptors))
	fieldIDs := map[string]string{} // field id -> descriptor id; the spec wants them unique across descriptors
	groups := map[string]bool{}
	for i := range w.InputDescriptors {
		in := &w.InputDescriptors[i]
		if in.ID == nil || *in.ID == "" {
			return fmt.Errorf("input_descriptors[%d]: id is required", i)
		}
		id := *in.ID
		if j, dup := d.index[id]; dup {
			return fmt.Errorf("input_descriptors[%d]: id %s is already used by input_descriptors[%d]", i, quote(id), j)
		}
		d.index[id] = i
		if err := d.compileDescriptor(&d.descriptors[i], in, defFormats, fieldIDs); err != nil {
			return fmt.Errorf("input_descriptors[%d] (%s): %w", i, quote(id), err)
		}
		for _, g := range in.Group {
			groups[g] = true
		}
	}
	for i := range w.InputDescriptors {
		if err := checkFeatures(&w.InputDescriptors[i], fieldIDs); err != nil {
			return fmt.Errorf("input_descriptors[%d] (%s): %w", i, quote(*w.InputDescriptors[i].ID), err)
		}
	}
	if err := checkRequirements(w.SubmissionRequirements, groups, "submission_requirements"); err != nil {
		return err
	}
	d.requirements = w.SubmissionRequirements
	return nil
}

func (d *Definition) compileDescriptor(out *descriptor, in *inputDescriptorJSON, defFormats *formatSet, fieldIDs map[string]string) error {
	out.id = *in.ID
	out.groups = in.Group
	out.formats = defFormats
	own, err := parseFormats(in.Format)
	if err != nil {
		return err
	}
	if own != nil {
		out.formats = own // "can be used to specifically constrain submission of a single input"
	}
	if in.Constraints == nil {
		return nil
	}
	fields := in.Constraints.Fields
	out.fields = make([]field, len(fields))
	for i := range fields {
		label := fmt.Sprintf("constraints.fields[%d]", i)
		if id := fields[i].ID; id != "" {
			if other, dup := fieldIDs[id]; dup {
				return fmt.Errorf("%s: field id %s is already used in input descriptor %s", label, quote(id), quote(other))
			}
			fieldIDs[id] = out.id
			label += " (id " + quote(id) + ")"
		}
		if err := compileField(&out.fields[i], &fields[i], label); err != nil {
			return err
		}
	}
	return nil
}

func compileField(out *field, in *fieldJSON, label string) error {
	out.label = label
	out.optional = in.Optional
	if len(in.Path) == 0 {
		return fmt.Errorf("%s: path must be a non-empty array of JSONPath expressions", label)
	}
	out.paths = make([]fieldPath, len(in.Path))
	for i, src := range in.Path {
		p, err := compileFieldPath(src)
		if err != nil {
			return fmt.Errorf("%s.path[%d]: %w", label, i, err)
		}
		out.paths[i] = p
	}
	out.pathList = strings.Join(in.Path, ", ")
	if len(in.Filter) > 0 && string(in.Filter) != "null" {
		f, err := compileFilter(in.Filter)
		if err != nil {
			return fmt.Errorf("%s.filter: %w", label, err)
		}
		out.filter = f
	}
	switch in.Predicate {
	case "":
	case "required", "preferred":
		// Predicate Feature: "If the predicate property is present, the filter
		// property MUST also be present."
		if out.filter == nil {
			return fmt.Errorf("%s: predicate needs a filter", label)
		}
	default:
		return fmt.Errorf("%s: predicate must be \"required\" or \"preferred\", not %s", label, quote(in.Predicate))
	}
	return nil
}

// ID returns the definition's id.
func (d *Definition) ID() string { return d.id }

// JSON returns the definition as compact JSON, members and order as given, to
// hand to wallets. The slice is the caller's.
func (d *Definition) JSON() []byte { return bytes.Clone(d.json) }

// Formats returns the definition-level format object (claim format
// designation -> its algorithms or proof types), or nil if there is none. The
// map is the caller's.
func (d *Definition) Formats() map[string]any {
	if len(d.format) == 0 {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(d.format, &m) != nil {
		return nil
	}
	return m
}
