package jsonld

import (
	"embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// contextFiles are the standard contexts, copied from their publishers (see
// contexts/provenance.json for repository, commit, licence and hash).
//
//go:embed contexts/*.jsonld contexts/*.json
var contextFiles embed.FS

// embedded maps each context URL to its file in contexts/. The Bitstring
// Status List terms are part of credentials v2 and need no file of their own.
var embedded = map[string]string{
	"https://www.w3.org/2018/credentials/v1":                          "credentials-v1.jsonld",
	"https://www.w3.org/2018/credentials/examples/v1":                 "credentials-examples-v1.jsonld",
	"https://www.w3.org/ns/credentials/v2":                            "credentials-v2.jsonld",
	"https://www.w3.org/ns/credentials/examples/v2":                   "credentials-examples-v2.jsonld",
	"https://www.w3.org/ns/credentials/undefined-terms/v2":            "credentials-undefined-terms-v2.jsonld",
	"https://w3id.org/security/v1":                                    "security-v1.jsonld",
	"https://w3id.org/security/v2":                                    "security-v2.jsonld",
	"https://w3id.org/security/suites/ed25519-2020/v1":                "ed25519-signature-2020-v1.jsonld",
	"https://w3id.org/security/suites/ed25519-2018/v1":                "ed25519-signature-2018-v1.jsonld",
	"https://w3id.org/security/suites/jws-2020/v1":                    "jws-2020-v1.jsonld",
	"https://w3id.org/security/data-integrity/v1":                     "data-integrity-v1.jsonld",
	"https://w3id.org/security/data-integrity/v2":                     "data-integrity-v2.jsonld",
	"https://w3id.org/security/multikey/v1":                           "multikey-v1.jsonld",
	"https://www.w3.org/ns/did/v1":                                    "did-v1.jsonld",
	"https://w3id.org/vc/status-list/2021/v1":                         "vc-status-list-2021-v1.jsonld",
	"https://identity.foundation/presentation-exchange/submission/v1": "presentation-exchange-submission-v1.jsonld",
	"https://w3id.org/citizenship/v4rc1":                              "citizenship-v4rc1.jsonld",
	"https://www.w3.org/ns/odrl.jsonld":                               "odrl.jsonld",
	"https://purl.imsglobal.org/spec/ob/v3p0/context.json":            "ob-v3p0-context.json",
}

// Embedded returns the URLs of the contexts built into the binary, sorted.
func Embedded() []string {
	return slices.Sorted(maps.Keys(embedded))
}

// embeddedDocs decodes every embedded context once, on first use.
var embeddedDocs = sync.OnceValues(func() (map[string]any, error) {
	out := make(map[string]any, len(embedded))
	for url, name := range embedded {
		raw, err := contextFiles.ReadFile("contexts/" + name)
		if err != nil {
			return nil, fmt.Errorf("jsonld: embedded context %s: %w", url, err)
		}
		doc, err := decodeContext(raw)
		if err != nil {
			return nil, fmt.Errorf("jsonld: embedded context %s: %w", url, err)
		}
		out[url] = doc
	}
	return out, nil
})

// decodeContext parses a context document: a JSON object with "@context".
// encoding/json keeps the last of duplicate keys, as JavaScript does (the
// ODRL context has some).
func decodeContext(raw []byte) (any, error) {
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("a context document must be a JSON object")
	}
	if _, ok := m["@context"]; !ok {
		return nil, fmt.Errorf("a context document must have an @context member")
	}
	keepContainers(m)
	return doc, nil
}

// keepContainers works around json-gold reading a term's container mapping
// from the term's own scoped context instead of the active context (JSON-LD
// 1.1 API §5.1.2 step 13.7 onward use the active context). With a scoped
// "@context": null — credentials v2 does this for verifiableCredential, an
// @graph container — json-gold forgets the container and puts an embedded
// credential in the default graph, so every VC 2.0 presentation with a
// credential canonicalizes differently from jsonld.js and fails. Rewriting
// such a definition's scoped context to [null, {term: its definition}]
// resets the context as before but keeps the term's own definition in it.
func keepContainers(v any) {
	switch t := v.(type) {
	case map[string]any:
		for term, def := range t {
			d, ok := def.(map[string]any)
			if ok && !strings.HasPrefix(term, "@") {
				if sc, has := d["@context"]; has && sc == nil && d["@container"] != nil {
					own := make(map[string]any, len(d))
					for k, v := range d {
						if k != "@context" && k != "@protected" {
							own[k] = v
						}
					}
					d["@context"] = []any{nil, map[string]any{term: own}}
					continue
				}
			}
			keepContainers(def)
		}
	case []any:
		for _, e := range t {
			keepContainers(e)
		}
	}
}
