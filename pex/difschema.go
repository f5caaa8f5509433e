package pex

import (
	"embed"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/xeipuuv/gojsonreference"
	"github.com/xeipuuv/gojsonschema"
)

// The official DIF JSON Schemas for presentation definitions, bundled (see
// schemas/README.md). A definition is validated against them before anything
// else: the structure the spec defines is checked by the spec's own schema,
// and this package's semantic checks (unique ids, groups, JSONPath, filters)
// come after.

//go:embed schemas/v1/presentation-definition.json schemas/v2/presentation-definition.json schemas/claim-format-designations.json
var schemaFiles embed.FS

// formatRegistryURL is the $ref of the DIF schemas' "format" members.
const formatRegistryURL = "https://identity.foundation/claim-format-registry/schemas/presentation-definition-claim-format-designations.json"

// maxSchemaErrors bounds how many schema violations a message lists.
const maxSchemaErrors = 3

var difSchemas struct {
	once   sync.Once
	v1, v2 *gojsonschema.Schema
	err    error
}

func compileDIFSchemas() {
	s := &difSchemas
	s.v1, s.err = compileDIFSchema("schemas/v1/presentation-definition.json")
	if s.err == nil {
		s.v2, s.err = compileDIFSchema("schemas/v2/presentation-definition.json")
	}
}

func compileDIFSchema(name string) (*gojsonschema.Schema, error) {
	main, err := schemaFiles.ReadFile(name)
	if err != nil {
		return nil, err
	}
	formats, err := schemaFiles.ReadFile("schemas/claim-format-designations.json")
	if err != nil {
		return nil, err
	}
	sl := gojsonschema.NewSchemaLoader()
	if err := sl.AddSchema(formatRegistryURL, offlineLoader{gojsonschema.NewBytesLoader(formats)}); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	schema, err := sl.Compile(offlineLoader{gojsonschema.NewBytesLoader(main)})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return schema, nil
}

// validateDIFSchema checks the decoded definition doc against the DIF schema
// of its version: PE v1.0.0 when an input descriptor has a "schema" member
// (that member is v1.0.0's; v2 dropped it), else v2. It returns nil or an
// error that names the members concerned.
func validateDIFSchema(doc map[string]any) error {
	difSchemas.once.Do(compileDIFSchemas)
	if difSchemas.err != nil {
		return fmt.Errorf("bundled DIF schema: %w", difSchemas.err)
	}
	schema, version := difSchemas.v2, "v2"
	if usesV1Schema(doc) {
		schema, version = difSchemas.v1, "v1.0.0"
	}
	res, err := schema.Validate(valueLoader{doc})
	if err != nil {
		return fmt.Errorf("cannot be checked against the DIF Presentation Exchange %s schema: %w", version, err)
	}
	if res.Valid() {
		return nil
	}
	return fmt.Errorf("does not follow the DIF Presentation Exchange %s schema: %s", version, describeSchemaErrors(res.Errors(), doc))
}

func usesV1Schema(doc map[string]any) bool {
	list, _ := doc["input_descriptors"].([]any)
	for _, d := range list {
		if m, ok := d.(map[string]any); ok {
			if _, ok := m["schema"]; ok {
				return true
			}
		}
	}
	return false
}

// describeSchemaErrors words gojsonschema's errors for an operator: the
// member as a path ("input_descriptors[0] (\"id\").constraints.fields[1]"),
// and the rule it breaks. oneOf/anyOf summaries are dropped when the closest
// branch's own errors say more.
func describeSchemaErrors(errs []gojsonschema.ResultError, doc map[string]any) string {
	specific := errs[:0:0]
	for _, e := range errs {
		switch e.Type() {
		case "number_one_of", "number_any_of", "condition_then", "condition_else":
		default:
			specific = append(specific, e)
		}
	}
	if len(specific) == 0 {
		specific = errs
	}
	var b strings.Builder
	for i, e := range specific {
		if i == maxSchemaErrors {
			fmt.Fprintf(&b, "; and %d more", len(specific)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		at := memberPath(e.Field(), doc)
		if at != "" {
			b.WriteString(at)
			b.WriteString(": ")
		}
		// Some descriptions repeat the member's dotted path; it is already said.
		b.WriteString(strings.TrimPrefix(e.Description(), e.Field()+" "))
	}
	return b.String()
}

// memberPath turns gojsonschema's "input_descriptors.0.constraints" into
// `input_descriptors[0] ("id").constraints`; "(root)" becomes "".
func memberPath(field string, doc map[string]any) string {
	if field == "(root)" || field == "" {
		return ""
	}
	parts := strings.Split(field, ".")
	var b strings.Builder
	for i, p := range parts {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			if i == 1 && parts[0] == "input_descriptors" {
				if id := descriptorIDAt(doc, p); id != "" {
					b.WriteString(" (" + quote(id) + ")")
				}
			}
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

func descriptorIDAt(doc map[string]any, index string) string {
	i, _ := strconv.Atoi(index)
	list, _ := doc["input_descriptors"].([]any)
	if i < 0 || i >= len(list) {
		return ""
	}
	m, _ := list[i].(map[string]any)
	id, _ := m["id"].(string)
	return id
}

// offlineLoader is a gojsonschema loader whose references can only resolve
// to what is bundled: the draft meta-schemas built into gojsonschema and the
// schemas added to the loader. gojsonschema would otherwise read files and
// fetch URLs named by "$ref"; nothing is fetched on anyone's say-so.
type offlineLoader struct{ gojsonschema.JSONLoader }

func (l offlineLoader) LoaderFactory() gojsonschema.JSONLoaderFactory { return offlineFactory{} }

type offlineFactory struct{}

func (offlineFactory) New(source string) gojsonschema.JSONLoader { return refusedLoader(source) }

// refusedLoader is what a reference outside the bundle resolves to.
type refusedLoader string

func (l refusedLoader) JsonSource() any { return string(l) }
func (l refusedLoader) LoadJSON() (any, error) {
	base, _, _ := strings.Cut(string(l), "#")
	switch base {
	case "http://json-schema.org/draft-04/schema", "http://json-schema.org/draft-06/schema", "http://json-schema.org/draft-07/schema":
		// gojsonschema serves these from its built-in copies, without a request.
		return gojsonschema.NewReferenceLoader(base).LoadJSON()
	}
	return nil, fmt.Errorf("reference %s is not bundled; nothing is fetched", quote(string(l)))
}
func (l refusedLoader) JsonReference() (gojsonreference.JsonReference, error) {
	return gojsonreference.NewJsonReference(string(l))
}
func (l refusedLoader) LoaderFactory() gojsonschema.JSONLoaderFactory { return offlineFactory{} }
