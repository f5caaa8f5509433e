package session

import (
	"slices"
)

// Clone returns a deep copy of s: nothing reachable from the result shares
// memory with s. Claim values are expected to be what encoding/json decodes
// (maps, slices, strings, numbers, bools, nil); those are copied all the way
// down. Other reference types in claims would be shared, as they would be
// lost in the Redis backend's encoding anyway. Stores hand out clones so
// that records stay values.
func (s Session) Clone() Session {
	s.StatusTokenHash = slices.Clone(s.StatusTokenHash)
	s.ResponseCodeHash = slices.Clone(s.ResponseCodeHash)
	s.ResponseKey = slices.Clone(s.ResponseKey)
	if s.Error != nil {
		e := *s.Error
		s.Error = &e
	}
	if s.Result != nil {
		r := *s.Result
		r.Formats = slices.Clone(r.Formats)
		r.DIDMethods = slices.Clone(r.DIDMethods)
		if r.Credentials != nil {
			r.Credentials = make([]Credential, len(s.Result.Credentials))
			for i, c := range s.Result.Credentials {
				c.Type = slices.Clone(c.Type)
				if c.CredentialSubject != nil {
					c.CredentialSubject = cloneMap(c.CredentialSubject)
				}
				if c.Status != nil {
					st := *c.Status
					st.Methods = slices.Clone(st.Methods)
					c.Status = &st
				}
				r.Credentials[i] = c
			}
		}
		s.Result = &r
	}
	return s
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if v == nil {
			return v
		}
		return cloneMap(v)
	case []any:
		if v == nil {
			return v
		}
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = cloneValue(e)
		}
		return out
	case []string:
		return slices.Clone(v)
	case []map[string]any:
		if v == nil {
			return v
		}
		out := make([]map[string]any, len(v))
		for i, e := range v {
			if e != nil {
				out[i] = cloneMap(e)
			}
		}
		return out
	default:
		return v
	}
}
