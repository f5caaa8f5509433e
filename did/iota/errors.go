package iota

import (
	"errors"
	"fmt"
)

// Sentinels, returned wrapped with detail; test them with errors.Is. Where
// one of package did's sentinels also applies (did.ErrInvalidDID,
// did.ErrInvalidDocument, did.ErrNotFound), the error wraps both.
var (
	// ErrInvalidNetwork: the DID's network segment is not 1–8 characters of
	// [a-z0-9]. Also did.ErrInvalidDID.
	ErrInvalidNetwork = errors.New("invalid did:iota network name")
	// ErrInvalidTag: the DID's tag is not "0x" and 64 lowercase hex digits
	// (upper-case hex included). Also did.ErrInvalidDID.
	ErrInvalidTag = errors.New("invalid did:iota tag")
	// ErrLegacyDID: a Chrysalis (base58) or Stardust Shimmer DID; these
	// ledgers are gone and nothing on IOTA Rebased can resolve them.
	ErrLegacyDID = errors.New("unresolvable legacy did:iota DID")
	// ErrNetworkNotConfigured: no endpoint is configured for the DID's
	// network, so the DID is refused without contacting anything.
	ErrNetworkNotConfigured = errors.New("did:iota network not configured")
	// ErrNetworkMismatch: the endpoint configured for the DID's network
	// answers iota_getChainIdentifier with another chain.
	ErrNetworkMismatch = errors.New("did:iota network mismatch")
	// ErrWrongObjectType: the object named by the DID is neither an
	// identity nor a Stardust alias (or a migration registry entry points to
	// something that is not an identity).
	ErrWrongObjectType = errors.New("object is not a DID identity")
	// ErrDeleted: the identity object, or its DID document, was deleted.
	ErrDeleted = errors.New("did:iota DID deleted")
	// ErrDeactivated: the identity holds no document (deactivated), or its
	// metadata says deactivated.
	ErrDeactivated = errors.New("did:iota DID deactivated")
	// ErrBadMagic: the packed document does not start with "DID".
	ErrBadMagic = errors.New("packed DID document: bad magic")
	// ErrUnsupportedVersion: the packed document's version is not 1.
	ErrUnsupportedVersion = errors.New("packed DID document: unsupported version")
	// ErrUnsupportedEncoding: the packed document's encoding is not 0 (JSON).
	ErrUnsupportedEncoding = errors.New("packed DID document: unsupported encoding")
	// ErrBadLength: the packed document's length prefix does not match the
	// bytes that follow (or the header is truncated).
	ErrBadLength = errors.New("packed DID document: bad length")
	// ErrRPC: the node answered with a JSON-RPC error, a malformed reply, or
	// not at all. Resolve's errors wrap did.ErrResolutionFailed with it.
	ErrRPC = errors.New("IOTA JSON-RPC call failed")
)

// RPCError is a JSON-RPC 2.0 error object returned by the node.
type RPCError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *RPCError) Error() string {
	return fmt.Sprintf("JSON-RPC error %d: %s", e.Code, clip(e.Message))
}

// clip bounds untrusted text quoted in errors.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
