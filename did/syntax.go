package did

import (
	"fmt"
	"strings"
)

// Split separates a DID URL into the DID and the fragment (without '#').
// Path and query, if any, are dropped from the DID part: "did:ex:1/p?q#k"
// gives ("did:ex:1", "k"). A relative reference "#k" gives ("", "k").
func Split(didURL string) (did, fragment string) {
	if i := strings.IndexByte(didURL, '#'); i >= 0 {
		didURL, fragment = didURL[:i], didURL[i+1:]
	}
	if i := strings.IndexAny(didURL, "/?"); i >= 0 {
		didURL = didURL[:i]
	}
	return didURL, fragment
}

// Method returns the method name of a DID after checking the DID syntax of
// DID Core §3.1:
//
//	did                = "did:" method-name ":" method-specific-id
//	method-name        = 1*method-char            ; %x61-7A / DIGIT
//	method-specific-id = *( *idchar ":" ) 1*idchar
//	idchar             = ALPHA / DIGIT / "." / "-" / "_" / pct-encoded
func Method(did string) (string, error) {
	rest, ok := strings.CutPrefix(did, "did:")
	if !ok {
		return "", fmt.Errorf("%w: %q does not start with \"did:\"", ErrInvalidDID, clip(did))
	}
	method, id, ok := strings.Cut(rest, ":")
	if !ok || method == "" {
		return "", fmt.Errorf("%w: %q has no method name", ErrInvalidDID, clip(did))
	}
	for i := 0; i < len(method); i++ {
		if c := method[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return "", fmt.Errorf("%w: method name %q must be lower-case letters and digits", ErrInvalidDID, clip(method))
		}
	}
	if err := checkMethodSpecificID(id); err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrInvalidDID, clip(did), err)
	}
	return method, nil
}

func checkMethodSpecificID(id string) error {
	if id == "" || id[len(id)-1] == ':' {
		return fmt.Errorf("empty method-specific identifier")
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '.', c == '-', c == '_', c == ':':
		case c == '%':
			if i+2 >= len(id) || !isHex(id[i+1]) || !isHex(id[i+2]) {
				return fmt.Errorf("bad percent-encoding at byte %d", i)
			}
			i += 2
		default:
			return fmt.Errorf("character %q not allowed at byte %d", c, i)
		}
	}
	return nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// clip bounds untrusted text quoted in errors.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
