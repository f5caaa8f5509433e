package pex

import "encoding/json"

// The wire shapes of a presentation definition (PE v2.1.1, and v1.0.0 with
// its input descriptor "schema" list). The bundled DIF schema has already
// checked the structure when these are decoded (difschema.go); what remains
// is semantics (definition.go).

type definitionJSON struct {
	ID                     *string                     `json:"id"`
	Name                   string                      `json:"name"`
	Purpose                string                      `json:"purpose"`
	Format                 json.RawMessage             `json:"format"`
	Frame                  json.RawMessage             `json:"frame"` // JSON-LD Framing Feature; not used
	SubmissionRequirements []submissionRequirementJSON `json:"submission_requirements"`
	InputDescriptors       []inputDescriptorJSON       `json:"input_descriptors"`

	// Envelope is set when the caller passed {"presentation_definition": {...}}
	// (the spec's examples); only used to say so in the error.
	Envelope json.RawMessage `json:"presentation_definition"`
}

type inputDescriptorJSON struct {
	ID          *string          `json:"id"`
	Name        string           `json:"name"`
	Purpose     string           `json:"purpose"`
	Group       []string         `json:"group"`
	Format      json.RawMessage  `json:"format"`
	Constraints *constraintsJSON `json:"constraints"`
	// Schema is PE v1.0.0's required list of schema URIs, dropped in v2.
	Schema []schemaURIJSON `json:"schema"`
}

type schemaURIJSON struct {
	URI      string `json:"uri"`
	Required bool   `json:"required"`
}

type constraintsJSON struct {
	Fields          []fieldJSON           `json:"fields"`
	LimitDisclosure string                `json:"limit_disclosure"`
	Statuses        *statusesJSON         `json:"statuses"`
	SubjectIsIssuer string                `json:"subject_is_issuer"`
	IsHolder        []holderDirectiveJSON `json:"is_holder"`
	SameSubject     []holderDirectiveJSON `json:"same_subject"`
}

type fieldJSON struct {
	ID             string          `json:"id"`
	Path           []string        `json:"path"`
	Purpose        string          `json:"purpose"`
	Name           string          `json:"name"`
	Filter         json.RawMessage `json:"filter"`
	Optional       bool            `json:"optional"`
	Predicate      string          `json:"predicate"`
	IntentToRetain bool            `json:"intent_to_retain"`
}

type statusesJSON struct {
	Active    *statusDirectiveJSON `json:"active"`
	Suspended *statusDirectiveJSON `json:"suspended"`
	Revoked   *statusDirectiveJSON `json:"revoked"`
}

type statusDirectiveJSON struct {
	Directive string   `json:"directive"`
	Type      []string `json:"type"`
}

type holderDirectiveJSON struct {
	FieldID   []string `json:"field_id"`
	Directive string   `json:"directive"`
}

type submissionRequirementJSON struct {
	Name       string                      `json:"name"`
	Purpose    string                      `json:"purpose"`
	Rule       string                      `json:"rule"`
	Count      *int                        `json:"count"`
	Min        *int                        `json:"min"`
	Max        *int                        `json:"max"`
	From       string                      `json:"from"`
	FromNested []submissionRequirementJSON `json:"from_nested"`
}
