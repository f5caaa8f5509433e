package pex

import (
	"fmt"
	"strings"

	"github.com/loginwithiota/verifier/internal/jsonx"
)

// PE v1.0.0 input descriptors carry a required "schema" list of URIs: "The
// URI for the schema of the candidate input MUST match one of the Input
// Descriptor schema object uri values exactly", and a schema object with
// "required": true must match. v2 dropped the member for fields on $.type
// or $.credentialSchema.
//
// What a credential's "schema URIs" are was never pinned down; as the
// widely used engine (@sphereon/pex) does, and as the DIF and Sphereon
// vectors expect, they are the credential's @context entries, the ids of its
// credentialSchema, and its types. At least one descriptor URI must be among
// them, and every required one.

func compileSchemaURIs(out *descriptor, list []schemaURIJSON) error {
	for i, s := range list {
		if s.URI == "" {
			return fmt.Errorf("schema[%d].uri must be a non-empty URI", i)
		}
	}
	out.schemas = list
	return nil
}

// checkSchemaURIs returns "" when cred matches the descriptor's schema list
// (or it has none), else why not.
func (desc *descriptor) checkSchemaURIs(cred map[string]any) string {
	if len(desc.schemas) == 0 {
		return ""
	}
	matched := false
	for _, s := range desc.schemas {
		has := credentialHasURI(cred, s.URI)
		if s.Required && !has {
			return fmt.Sprintf("schema %s is required, and the credential's @context, type and credentialSchema do not name it", quote(s.URI))
		}
		matched = matched || has
	}
	if !matched {
		uris := make([]string, len(desc.schemas))
		for i, s := range desc.schemas {
			uris[i] = s.URI
		}
		return fmt.Sprintf("the credential's @context, type and credentialSchema name none of the schema URIs (%s)", strings.Join(uris, ", "))
	}
	return ""
}

func credentialHasURI(cred map[string]any, uri string) bool {
	if stringOrListHas(cred["@context"], uri) || stringOrListHas(cred["type"], uri) {
		return true
	}
	switch cs := cred["credentialSchema"].(type) {
	case map[string]any:
		return jsonx.ID(cs) == uri
	case []any:
		for _, e := range cs {
			if jsonx.ID(e) == uri {
				return true
			}
		}
	}
	return false
}

// stringOrListHas reports whether v (a string or an array) holds the string s.
func stringOrListHas(v any, s string) bool {
	switch t := v.(type) {
	case string:
		return t == s
	case []any:
		for _, e := range t {
			if e == any(s) {
				return true
			}
		}
	}
	return false
}
