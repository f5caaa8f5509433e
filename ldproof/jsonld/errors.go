package jsonld

import "errors"

// Sentinels, returned wrapped; test them with errors.Is.
var (
	// ErrContextNotAllowed: a document names a context that is neither
	// built in, nor configured as a local file, nor allow-listed for fetching.
	ErrContextNotAllowed = errors.New("JSON-LD context is not available offline and not allow-listed for fetching")
	// ErrContextFetch: an allow-listed remote context could not be fetched
	// (network error, timeout, status, size limit, not a context document).
	ErrContextFetch = errors.New("JSON-LD context could not be fetched")
	// ErrUnsafe: safe mode refused the document: expansion would drop part
	// of it (an undefined term, a relative IRI, an unknown keyword), and what
	// is dropped would not be covered by a signature.
	ErrUnsafe = errors.New("JSON-LD safe mode: the document has data that expansion would drop")
	// ErrInvalid: the document is not valid JSON-LD (or made the JSON-LD
	// library fail: its panics are reported as this).
	ErrInvalid = errors.New("invalid JSON-LD")
	// ErrTooComplex: the document exceeds a budget of Config (MaxNodes,
	// MaxValues, MaxBlankNodes, MaxWork) and was refused before the work it
	// would cost. Legitimate credentials stay far below the defaults.
	ErrTooComplex = errors.New("JSON-LD document too complex to canonicalize")
)
