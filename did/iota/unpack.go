package iota

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/loginwithiota/verifier/did"
)

// The packed-document header (identity.rs state_metadata/document.rs,
// "Anatomy of the State Metadata" in the IOTA DID method spec):
// "DID" | version u8 | encoding u8 | length u16 LE | payload.
const (
	headerLen       = 7
	packedVersion   = 1
	encodingJSON    = 0
	placeholderDID  = "did:0:0"
	maxPackedLength = headerLen + 0xffff
)

var magic = []byte("DID")

// Packed is an unpacked state-metadata document: the DID document with
// did:0:0 standing for its DID, and its metadata (created, updated,
// deactivated, …).
type Packed struct {
	Doc  map[string]any `json:"doc"`
	Meta map[string]any `json:"meta"`
}

// Unpack checks the header of a packed DID document and decodes its JSON
// payload. Errors wrap did.ErrInvalidDocument and one of ErrBadMagic,
// ErrUnsupportedVersion, ErrUnsupportedEncoding, ErrBadLength.
//
// The length must match the bytes that follow exactly: identity.rs ignores
// trailing bytes, but its pack never writes any, so extra bytes mean the
// object is not what it claims.
func Unpack(b []byte) (*Packed, error) {
	bad := func(kind error, format string, args ...any) (*Packed, error) {
		return nil, fmt.Errorf("%w: %w: "+format, append([]any{did.ErrInvalidDocument, kind}, args...)...)
	}
	switch {
	case len(b) < len(magic) || !bytes.Equal(b[:len(magic)], magic):
		return bad(ErrBadMagic, "want %q, got %q", magic, b[:min(len(b), len(magic))])
	case len(b) < headerLen:
		return bad(ErrBadLength, "header truncated at %d bytes, want %d", len(b), headerLen)
	case b[3] != packedVersion:
		return bad(ErrUnsupportedVersion, "version %d, want %d", b[3], packedVersion)
	case b[4] != encodingJSON:
		return bad(ErrUnsupportedEncoding, "encoding %d, want %d (JSON)", b[4], encodingJSON)
	}
	n := int(binary.LittleEndian.Uint16(b[5:7]))
	if n != len(b)-headerLen {
		return bad(ErrBadLength, "length prefix says %d bytes, %d follow", n, len(b)-headerLen)
	}
	var p Packed
	dec := json.NewDecoder(bytes.NewReader(b[headerLen:]))
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: packed JSON payload: %v", did.ErrInvalidDocument, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: packed JSON payload: data after the object", did.ErrInvalidDocument)
	}
	if p.Doc == nil {
		return nil, fmt.Errorf("%w: packed JSON payload has no \"doc\" object", did.ErrInvalidDocument)
	}
	return &p, nil
}

// DocumentFromPacked unpacks b and returns the DID document of id (the DID
// as queried): did:0:0 is replaced by id wherever a DID names the document
// itself — id, controller, verification method ids and controllers,
// relationship references, service ids — as identity.rs's
// StateMetadataDocument::into_iota_document does. A document whose id is
// neither did:0:0 nor id is refused. Metadata "deactivated": true gives
// ErrDeactivated.
func DocumentFromPacked(b []byte, id string) (*did.Document, error) {
	return documentFromPacked(b, id, nil)
}

// documentFromPacked also lists aka (other DIDs of the same identity) in
// alsoKnownAs, dropping id itself from it.
func documentFromPacked(b []byte, id string, aka []string) (*did.Document, error) {
	p, err := Unpack(b)
	if err != nil {
		return nil, err
	}
	if deactivated, _ := p.Meta["deactivated"].(bool); deactivated {
		return nil, fmt.Errorf("%w: metadata says deactivated", ErrDeactivated)
	}
	docID, _ := p.Doc["id"].(string)
	if docID != placeholderDID && docID != id {
		return nil, fmt.Errorf("%w: packed document has id %q, want %s or %s", did.ErrInvalidDocument, clip(docID), placeholderDID, clip(id))
	}
	m := replacePlaceholder(p.Doc, id)
	if len(aka) > 0 {
		m["alsoKnownAs"] = alsoKnownAs(m["alsoKnownAs"], id, aka)
	}
	doc, err := did.DocumentFromMap(m)
	if err != nil {
		return nil, fmt.Errorf("packed document: %w", err)
	}
	return doc, nil
}

// replacePlaceholder returns a copy of doc with did:0:0 replaced by id in
// the members that carry DIDs; other members (properties, service
// endpoints) are left as they are, as identity.rs does.
func replacePlaceholder(doc map[string]any, id string) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	out["id"] = sub(doc["id"], id)
	if v, ok := doc["controller"]; ok {
		out["controller"] = subAll(v, id)
	}
	for _, member := range []string{"verificationMethod", "authentication", "assertionMethod",
		"keyAgreement", "capabilityInvocation", "capabilityDelegation"} {
		if v, ok := doc[member]; ok {
			out[member] = subMethods(v, id)
		}
	}
	if v, ok := doc["service"].([]any); ok {
		services := make([]any, len(v))
		for i, s := range v {
			services[i] = subField(s, "id", id)
		}
		out["service"] = services
	}
	return out
}

// sub replaces a leading did:0:0 of a DID or DID URL.
func sub(v any, id string) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if s == placeholderDID {
		return id
	}
	for _, sep := range []string{"#", "/", "?"} {
		if rest, ok := strings.CutPrefix(s, placeholderDID+sep); ok {
			return id + sep + rest
		}
	}
	return s
}

func subAll(v any, id string) any {
	if arr, ok := v.([]any); ok {
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = sub(e, id)
		}
		return out
	}
	return sub(v, id)
}

// subMethods handles a relationship or verificationMethod: a reference, a
// method, or an array of both.
func subMethods(v any, id string) any {
	one := func(e any) any {
		if _, ok := e.(map[string]any); ok {
			return subField(subField(e, "id", id), "controller", id)
		}
		return sub(e, id)
	}
	if arr, ok := v.([]any); ok {
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = one(e)
		}
		return out
	}
	return one(v)
}

func subField(v any, field, id string) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(m))
	for k, e := range m {
		out[k] = e
	}
	if e, ok := m[field]; ok {
		out[field] = subAll(e, id)
	}
	return out
}

func alsoKnownAs(v any, id string, add []string) []any {
	var out []any
	seen := map[string]bool{id: true}
	keep := func(e any) {
		if s, ok := e.(string); ok {
			if seen[s] {
				return
			}
			seen[s] = true
		}
		out = append(out, e)
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			keep(e)
		}
	case nil:
	default:
		keep(v)
	}
	for _, a := range add {
		keep(a)
	}
	return out
}
