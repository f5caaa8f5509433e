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
	requirements []requirement  // compiled submission_requirements; nil: every descriptor is required
	sameSubject  []sameSubject  // same_subject directives of every descriptor
	warnings     []string
}

// descriptor is a compiled input descriptor.
type descriptor struct {
	id      string
	groups  []string
	formats *formatSet // effective: the descriptor's own format, else the definition's
	fields  []field

	schemas         []schemaURIJSON // PE v1.0.0 "schema"; nil in v2
	limitDisclosure string          // "", "required" or "preferred"
	disclosure      *claimTree      // the claims the fields ask for, when limitDisclosure is set
	subjectIsIssuer string          // "", "required" or "preferred"
	isHolder        []holderDirective
	statuses        statusRule
}

// field is a compiled fields object of a descriptor's constraints.
type field struct {
	id             string
	label          string      // "constraints.fields[2]" (with the field's id, if any), for messages
	paths          []fieldPath // tried in order; the first that selects a value counts
	pathList       string      // the paths, comma-separated, for messages
	filter         *filter     // nil: any value satisfies
	optional       bool
	predicate      string // "", "required" or "preferred"
	intentToRetain bool
}

// fieldRef locates a field by its id.
type fieldRef struct{ desc, field int }

// ParseDefinition parses, validates and compiles a presentation definition
// (the JSON object itself, DIF PE v1 or v2). It is checked against the
// bundled DIF JSON Schema of its version, then semantically: unique ids,
// groups named by submission_requirements exist, field ids named by
// is_holder/same_subject exist, every JSONPath and JSON Schema filter
// compiles (here, once). Errors name the definition, the input descriptor,
// the member and the reason.
func ParseDefinition(raw []byte) (*Definition, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("pex: presentation definition: not valid JSON: %w", err)
	}
	obj, isObj := doc.(map[string]any)
	if !isObj {
		return nil, errors.New("pex: presentation definition: must be a JSON object")
	}
	if id, present := obj["id"]; !present || id == "" {
		if _, ok := obj["presentation_definition"]; ok {
			return nil, errors.New(`pex: presentation definition: id is required (this JSON is an envelope {"presentation_definition": {...}}; pass the inner object)`)
		}
		return nil, errors.New("pex: presentation definition: id is required")
	}
	name, _ := obj["id"].(string)
	if err := validateDIFSchema(obj); err != nil {
		return nil, fmt.Errorf("pex: presentation definition %s: %w", quote(name), err)
	}
	var w definitionJSON
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("pex: presentation definition %s: %s", quote(name), describeJSONError(err))
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
		return errors.New("input_descriptors must be a non-empty array (a definition without input descriptors asks for nothing)")
	}
	if len(w.Frame) > 0 && string(w.Frame) != "null" {
		d.warn("frame is ignored: JSON-LD framing is not supported; the fields' paths apply to the credential as presented")
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
	fieldIDs := map[string]fieldRef{} // the spec wants field ids unique across descriptors
	groups := map[string][]int{}
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
		if err := d.compileDescriptor(i, in, defFormats, fieldIDs); err != nil {
			return fmt.Errorf("input_descriptors[%d] (%s): %w", i, quote(id), err)
		}
		for _, g := range in.Group {
			groups[g] = append(groups[g], i)
		}
	}
	for i := range w.InputDescriptors {
		if err := d.compileFeatures(i, &w.InputDescriptors[i], fieldIDs); err != nil {
			return fmt.Errorf("input_descriptors[%d] (%s): %w", i, quote(d.descriptors[i].id), err)
		}
	}
	reqs, err := d.compileRequirements(w.SubmissionRequirements, groups, "submission_requirements")
	if err != nil {
		return err
	}
	d.requirements = reqs
	return nil
}

func (d *Definition) compileDescriptor(i int, in *inputDescriptorJSON, defFormats *formatSet, fieldIDs map[string]fieldRef) error {
	out := &d.descriptors[i]
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
	if err := compileSchemaURIs(out, in.Schema); err != nil {
		return err
	}
	if in.Constraints == nil {
		return nil
	}
	fields := in.Constraints.Fields
	out.fields = make([]field, len(fields))
	for fi := range fields {
		label := fmt.Sprintf("constraints.fields[%d]", fi)
		if id := fields[fi].ID; id != "" {
			if other, dup := fieldIDs[id]; dup {
				return fmt.Errorf("%s: field id %s is already used in input descriptor %s", label, quote(id), quote(d.descriptors[other.desc].id))
			}
			fieldIDs[id] = fieldRef{desc: i, field: fi}
			label += " (id " + quote(id) + ")"
		}
		if err := d.compileField(&out.fields[fi], &fields[fi], label, out.id); err != nil {
			return err
		}
	}
	return nil
}

func (d *Definition) compileField(out *field, in *fieldJSON, label, descID string) error {
	out.id = in.ID
	out.label = label
	out.optional = in.Optional
	out.intentToRetain = in.IntentToRetain
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
		f, warnings, err := compileFilter(in.Filter)
		if err != nil {
			return fmt.Errorf("%s.filter: %w", label, err)
		}
		for _, w := range warnings {
			d.warn(fmt.Sprintf("input descriptor %s, %s.filter: %s", quote(descID), label, w))
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
		out.predicate = in.Predicate
	default:
		return fmt.Errorf("%s: predicate must be \"required\" or \"preferred\", not %s", label, quote(in.Predicate))
	}
	return nil
}

func (d *Definition) warn(s string) { d.warnings = append(d.warnings, s) }

// ID returns the definition's id.
func (d *Definition) ID() string { return d.id }

// JSON returns the definition as compact JSON, members and order as given, to
// hand to wallets. The slice is the caller's.
func (d *Definition) JSON() []byte { return bytes.Clone(d.json) }

// Warnings lists what the definition asks for that this package accepts but
// ignores or reads in a way the operator may not expect (an ignored frame, an
// unknown keyword in a filter, a pick rule without bounds). Each names the
// member concerned. The slice is the caller's.
func (d *Definition) Warnings() []string { return append([]string(nil), d.warnings...) }

// DescriptorIDs lists the input descriptor ids in definition order.
func (d *Definition) DescriptorIDs() []string {
	ids := make([]string, len(d.descriptors))
	for i := range d.descriptors {
		ids[i] = d.descriptors[i].id
	}
	return ids
}

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
