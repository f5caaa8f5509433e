package oid4vp

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// Format designation (claim format) members whose values are lists.
var formatLists = []string{"proof_type", "alg", "cryptosuite"}

// companions pair each credential format with the presentation format that
// carries it. Draft 20: "When a Verifier is requesting the presentation of
// a Verifiable Presentation containing a Verifiable Credential, the
// Verifier MUST indicate in the vp_formats parameter the supported formats
// of both Verifiable Credential and Verifiable Presentation."
var companions = map[string]string{
	"ldp_vc":      "ldp_vp",
	"di_vc":       "di_vp",
	"jwt_vc_json": "jwt_vp_json",
	"jwt_vc":      "jwt_vp",
}

// VPFormats is client_metadata.vp_formats for a Presentation Exchange
// definition: the format designations it names (top level and in its
// input descriptors, merged), each with the proof types, algs and
// cryptosuites it lists — or, where it lists none, those of supported —
// and for each credential format the presentation format beside it, as
// supported has it. A definition that names no format gets supported
// whole. supported is what this build verifies, keyed the same way.
// Draft 20: "The Wallet MUST ignore any format property inside a
// presentation_definition object if that format was not included in the
// vp_formats property of the metadata."
func VPFormats(definition json.RawMessage, supported map[string]map[string][]string) (map[string]any, error) {
	var raw struct {
		Format           map[string]map[string]any `json:"format"`
		InputDescriptors []struct {
			Format map[string]map[string]any `json:"format"`
		} `json:"input_descriptors"`
	}
	if err := json.Unmarshal(definition, &raw); err != nil {
		return nil, fmt.Errorf("oid4vp: vp_formats: %w", err)
	}
	named := map[string]map[string][]string{}
	add := func(f map[string]map[string]any) {
		for name, entry := range f {
			m := named[name]
			if m == nil {
				m = map[string][]string{}
				named[name] = m
			}
			for _, k := range formatLists {
				for _, v := range stringsOf(entry[k]) {
					if !slices.Contains(m[k], v) {
						m[k] = append(m[k], v)
					}
				}
			}
		}
	}
	add(raw.Format)
	for _, d := range raw.InputDescriptors {
		add(d.Format)
	}
	if len(named) == 0 {
		named = supported
	}
	out := make(map[string]any, len(named)+2)
	for _, name := range slices.Sorted(maps.Keys(named)) {
		entry := named[name]
		if empty(entry) && supported[name] != nil {
			entry = supported[name]
		}
		out[name] = lists(entry)
		if vp, ok := companions[name]; ok && named[vp] == nil && supported[vp] != nil {
			out[vp] = lists(supported[vp])
		}
	}
	return out, nil
}

func empty(m map[string][]string) bool {
	for _, v := range m {
		if len(v) > 0 {
			return false
		}
	}
	return true
}

// lists copies a designation for the wire.
func lists(m map[string][]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if len(v) > 0 {
			out[k] = slices.Clone(v)
		}
	}
	return out
}

func stringsOf(v any) []string {
	items, _ := v.([]any)
	out := make([]string, 0, len(items))
	for _, it := range items {
		if s, ok := it.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Supported is what this build verifies, for vp_formats_supported.
type Supported struct {
	JWTAlgs                  []string // jwt_vc_json (and the VP around it)
	ProofTypes, Cryptosuites []string // ldp_vc
	SDJWTAlgs, KBJWTAlgs     []string // dc+sd-jwt
}

// VPFormatsSupported is 1.0's client_metadata.vp_formats_supported for
// a DCQL query naming formats: each format, keyed by its Credential
// Format Identifier, with what this build accepts under Appendix B's
// names (B.1.3.1 alg_values; B.1.3.2 proof_type_values,
// cryptosuite_values; B.3.4 sd-jwt_alg_values, kb-jwt_alg_values). A
// format this build does not know is left out: a wallet "MUST ignore"
// nothing here, but advertising it would promise a check not made.
func VPFormatsSupported(formats []string, s Supported) map[string]any {
	out := map[string]any{}
	for _, f := range formats {
		switch f {
		case "jwt_vc_json":
			out[f] = map[string]any{"alg_values": slices.Clone(s.JWTAlgs)}
		case "ldp_vc":
			e := map[string]any{"proof_type_values": slices.Clone(s.ProofTypes)}
			if len(s.Cryptosuites) > 0 {
				e["cryptosuite_values"] = slices.Clone(s.Cryptosuites)
			}
			out[f] = e
		case "dc+sd-jwt", "vc+sd-jwt":
			out[f] = map[string]any{"sd-jwt_alg_values": slices.Clone(s.SDJWTAlgs), "kb-jwt_alg_values": slices.Clone(s.KBJWTAlgs)}
		}
	}
	return out
}
