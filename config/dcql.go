package config

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/loginwithiota/verifier/dcql"
)

// DCQL queries in the configuration (OID4VP 1.0 §6): dcql_queries beside
// presentation_definitions, each item a DCQL query plus its id, the id of
// the definition it belongs to:
//
//   - an id that is also a presentation definition's gives that
//     definition both queries, for the same credential: draft-20 and
//     profile-2022 requests carry the presentation definition, 1.0
//     requests the DCQL query, and an answer is matched by the one its
//     request carried. The definition's policy keys (trusted_issuers,
//     protocol) stay on the presentation definition item;
//   - an id of its own is a definition with a DCQL query only (1.0
//     requests only), whose item may carry trusted_issuers and protocol;
//   - a presentation definition item with dcql: derive gets a DCQL query
//     made from it (deriveDCQL), when it is simple enough to say the same.
//
// Each query is validated at start by package dcql; an error names the
// file, the item and the member (dcql_queries[0].credentials[1].meta).

// formatsVerified are the credential formats this build verifies in a
// DCQL answer.
var formatsVerified = []string{dcql.FormatJWTVC, dcql.FormatLDPVC, dcql.FormatSDJWTVC, dcql.FormatSDJWTVCLegacy}

// compileDCQL reads dcql_queries and the derived queries into
// c.Definitions.
func (c *Config) compileDCQL() error {
	byID := map[string]int{}
	for i, d := range c.Definitions {
		byID[d.ID] = i
	}
	seen := map[string]bool{}
	for i, item := range c.DCQLQueries {
		name := fmt.Sprintf("dcql_queries[%d]", i)
		id, _ := item["id"].(string)
		if id == "" {
			return fmt.Errorf("%s.id: the id of the definition the query belongs to is required", name)
		}
		if seen[id] {
			return fmt.Errorf("%s.id: %q is the id of another dcql_queries item", name, id)
		}
		seen[id] = true
		rest := make(map[string]any, len(item))
		for k, v := range item {
			rest[k] = v
		}
		delete(rest, "id")
		j, merged := byID[id]
		def := Definition{ID: id}
		if merged {
			def = c.Definitions[j]
			if def.DCQLDerived {
				return fmt.Errorf("%s.id: presentation definition %q derives its DCQL query (dcql: derive); give it one or the other", name, id)
			}
		}
		for _, k := range []string{"trusted_issuers", "protocol", "allow_warnings"} {
			v, ok := rest[k]
			if !ok {
				continue
			}
			if merged {
				return fmt.Errorf("%s.%s: set it on the presentation definition %q (%s)", name, k, id, c.itemOf(id))
			}
			var err error
			switch k {
			case "trusted_issuers":
				def.TrustedIssuers, err = stringList(v)
			case "protocol":
				def.Protocols, err = protocolList(v)
			case "allow_warnings":
				def.AllowWarnings, _ = v.(bool)
			}
			if err != nil {
				return fmt.Errorf("%s.%s: %w", name, k, err)
			}
			delete(rest, k)
		}
		q, raw, err := parseDCQL(rest, name)
		if err != nil {
			return err
		}
		def.DCQL, def.DCQLJSON = q, raw
		if merged {
			c.Definitions[j] = def
		} else {
			c.Definitions = append(c.Definitions, def)
		}
	}
	for i, d := range c.Definitions {
		if !d.DCQLDerived {
			continue
		}
		idx := slices.IndexFunc(c.PresentationDefinitions, func(m map[string]any) bool { return m["id"] == d.ID })
		name := fmt.Sprintf("presentation_definitions[%d]", idx)
		derived, err := deriveDCQL(c.PresentationDefinitions[idx])
		if err != nil {
			return fmt.Errorf("%s.%s", name, err)
		}
		q, raw, err := parseDCQL(derived, name+".dcql")
		if err != nil {
			return err
		}
		c.Definitions[i].DCQL, c.Definitions[i].DCQLJSON = q, raw
	}
	return nil
}

// parseDCQL validates a query (JSON-shaped YAML) with package dcql and
// checks that this build verifies its formats.
func parseDCQL(m map[string]any, name string) (*dcql.Query, json.RawMessage, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	q, err := dcql.Parse(raw)
	if err != nil {
		if e, ok := err.(*dcql.Error); ok {
			if e.Member != "" {
				return nil, nil, fmt.Errorf("%s.%s: %s", name, e.Member, e.Reason)
			}
			return nil, nil, fmt.Errorf("%s: %s", name, e.Reason)
		}
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	for i, cq := range q.Credentials {
		if !slices.Contains(formatsVerified, cq.Format) {
			return nil, nil, fmt.Errorf("%s.credentials[%d].format: %q is not verified by this build (verified: %s)",
				name, i, cq.Format, strings.Join(formatsVerified, ", "))
		}
	}
	return q, raw, nil
}

// itemOf is the key path of the item that defines id.
func (c *Config) itemOf(id string) string {
	for i, m := range c.PresentationDefinitions {
		if m["id"] == id {
			return fmt.Sprintf("presentation_definitions[%d]", i)
		}
	}
	for i, m := range c.DCQLQueries {
		if m["id"] == id {
			return fmt.Sprintf("dcql_queries[%d]", i)
		}
	}
	return "presentation_definitions"
}
