package did

import "errors"

// Sentinels, returned wrapped (with %w) and detail about the DID or method
// concerned; test them with errors.Is.
var (
	// ErrNotFound: the method resolved, but no document exists for the DID.
	ErrNotFound = errors.New("DID not found")
	// ErrUnsupportedMethod: no resolver is registered for the DID method.
	ErrUnsupportedMethod = errors.New("unsupported DID method")
	// ErrInvalidDID: the string is not a syntactically valid DID (or, for a
	// method, not a valid identifier of that method).
	ErrInvalidDID = errors.New("invalid DID")
	// ErrMethodNotFound: the document has no verification method with that id.
	ErrMethodNotFound = errors.New("verification method not found")
	// ErrNotAuthorized: the verification method exists but the document does
	// not list it under the verification relationship asked for.
	ErrNotAuthorized = errors.New("verification method not authorized for this relationship")
	// ErrInvalidDocument: a DID document (or a method in it) is malformed.
	ErrInvalidDocument = errors.New("invalid DID document")
	// ErrUnsupportedKey: the verification method's type or key material is
	// not one this package can turn into a public key.
	ErrUnsupportedKey = errors.New("unsupported verification method key")
	// ErrResolutionFailed: a networked method could not get an answer
	// (refused address, timeout, HTTP error, oversized or malformed reply).
	ErrResolutionFailed = errors.New("DID resolution failed")
)
