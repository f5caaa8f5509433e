package iota

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/loginwithiota/verifier/did"
)

// The JSON shapes below are those of the IOTA (Sui-derived) JSON-RPC
// serializer (crates/iota-json-rpc-types: iota_object.rs, iota_move.rs):
// an IotaObjectResponse is {"data": …} or {"error": {"code": …}}; a Move
// object's content is {"dataType": "moveObject", "type", "fields"}, where
// nested structs are {"type", "fields"}, vector<u8> is an array of numbers,
// u64 is a decimal string, Option<T> is T or null, UID is {"id": "0x…"}
// and ID an address string.

type objectResponse struct {
	Data  *objectData  `json:"data"`
	Error *objectError `json:"error"`
}

type objectData struct {
	ObjectID string         `json:"objectId"`
	Content  *objectContent `json:"content"`
}

type objectContent struct {
	DataType string         `json:"dataType"`
	Type     string         `json:"type"`
	Fields   map[string]any `json:"fields"`
}

type objectError struct {
	Code     string `json:"code"`
	ObjectID string `json:"object_id"`
	Error    string `json:"error"`
}

// errMissing: the node has no live object under that id; deleted tells
// whether it says the object was deleted (rather than never existed).
type errMissing struct{ deleted bool }

func (e errMissing) Error() string {
	if e.deleted {
		return "object deleted"
	}
	return "object does not exist"
}

// moveObject is a Move object's type and fields, with nested structs
// flattened to their fields (what IotaMoveStruct::to_json_value gives and
// identity.rs deserializes).
type moveObject struct {
	ID     string
	Type   structType
	Fields map[string]any
}

type structType struct {
	Address, Module, Name string // Address normalised to 0x + 64 hex
	Raw                   string
}

func (t structType) is(module, name string) bool { return t.Module == module && t.Name == name }

// parseObjectResponse reads an IotaObjectResponse. A missing or deleted
// object gives errMissing.
func parseObjectResponse(raw []byte) (*moveObject, error) {
	var r objectResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("%w: object response: %v", ErrRPC, err)
	}
	if r.Error != nil {
		switch r.Error.Code {
		case "notExists", "dynamicFieldNotFound":
			return nil, errMissing{}
		case "deleted":
			return nil, errMissing{deleted: true}
		}
		return nil, fmt.Errorf("%w: object response error %q %s", ErrRPC, clip(r.Error.Code), clip(r.Error.Error))
	}
	if r.Data == nil {
		return nil, errMissing{}
	}
	c := r.Data.Content
	if c == nil {
		return nil, fmt.Errorf("%w: object %s has no content (showContent not honoured)", ErrRPC, clip(r.Data.ObjectID))
	}
	if c.DataType != "moveObject" {
		return nil, fmt.Errorf("%w: object %s is a %q, not a Move object", ErrWrongObjectType, clip(r.Data.ObjectID), clip(c.DataType))
	}
	t, err := parseStructType(c.Type)
	if err != nil {
		return nil, fmt.Errorf("%w: object %s: %v", ErrRPC, clip(r.Data.ObjectID), err)
	}
	fields, _ := plain(c.Fields).(map[string]any)
	return &moveObject{ID: r.Data.ObjectID, Type: t, Fields: fields}, nil
}

// parseStructType splits "0x2::dynamic_field::Field<…>" into address,
// module and name.
func parseStructType(s string) (structType, error) {
	base, _, _ := strings.Cut(s, "<")
	parts := strings.Split(base, "::")
	if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
		return structType{}, fmt.Errorf("malformed Move type %q", clip(s))
	}
	addr, ok := normalizeObjectID(parts[0])
	if !ok {
		return structType{}, fmt.Errorf("malformed address in Move type %q", clip(s))
	}
	return structType{Address: addr, Module: parts[1], Name: parts[2], Raw: s}, nil
}

// plain drops the {"type","fields"} wrapping of nested structs, as
// IotaMoveStruct::to_json_value does.
func plain(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 2 {
			if _, hasType := v["type"].(string); hasType {
				if f, ok := v["fields"].(map[string]any); ok {
					return plain(f)
				}
			}
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = plain(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = plain(e)
		}
		return out
	}
	return v
}

// byteVector decodes a vector<u8> (an array of numbers 0..255).
func byteVector(v any, field string) ([]byte, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s is %s, want an array of bytes", field, kind(v))
	}
	b := make([]byte, len(arr))
	for i, e := range arr {
		f, ok := e.(float64)
		if !ok || f < 0 || f > 255 || f != math.Trunc(f) {
			return nil, fmt.Errorf("%s[%d] is not a byte", field, i)
		}
		b[i] = byte(f)
	}
	return b, nil
}

// optionalBytes decodes an Option<vector<u8>> (null or the vector); a
// plain vector<u8> (identity.rs before Option was introduced) is accepted
// too.
func optionalBytes(v any, field string) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	return byteVector(v, field)
}

// identityObject is what an iota_identity::identity::Identity holds for
// resolution.
type identityObject struct {
	Doc                 []byte // nil or empty: no document (deactivated)
	LegacyID            string // the Stardust alias id it was migrated from, or ""
	Deleted, DeletedDID bool
}

func parseIdentity(fields map[string]any) (*identityObject, error) {
	dd, ok := fields["did_doc"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("identity has no did_doc struct")
	}
	cv, present := dd["controlled_value"]
	if !present {
		return nil, fmt.Errorf("identity did_doc has no controlled_value")
	}
	doc, err := optionalBytes(cv, "did_doc.controlled_value")
	if err != nil {
		return nil, err
	}
	id := &identityObject{Doc: doc}
	if l, ok := fields["legacy_id"].(string); ok {
		id.LegacyID = l
	}
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"deleted", &id.Deleted}, {"deleted_did", &id.DeletedDID}} {
		switch v := fields[f.name].(type) {
		case nil:
		case bool:
			*f.dst = v
		default:
			return nil, fmt.Errorf("identity %s is %s, want a bool", f.name, kind(v))
		}
	}
	return id, nil
}

// parseAliasMetadata returns a Stardust alias's state_metadata (nil when
// absent).
func parseAliasMetadata(fields map[string]any) ([]byte, error) {
	return optionalBytes(fields["state_metadata"], "alias state_metadata")
}

// parseRegistryEntry reads a migration registry entry, a
// 0x2::dynamic_field::Field<ID, ID>: its value is the identity's id.
func parseRegistryEntry(o *moveObject) (string, error) {
	if !o.Type.is("dynamic_field", "Field") {
		return "", fmt.Errorf("%w: migration registry entry is a %s", ErrWrongObjectType, clip(o.Type.Raw))
	}
	// An ID is shown as its address; accept {"bytes": "0x…"} as well.
	v, _ := o.Fields["value"].(string)
	if m, ok := o.Fields["value"].(map[string]any); ok {
		v, _ = m["bytes"].(string)
	}
	id, ok := normalizeObjectID(v)
	if !ok {
		return "", fmt.Errorf("%w: migration registry entry has no object id value", did.ErrInvalidDocument)
	}
	return id, nil
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a bool"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
