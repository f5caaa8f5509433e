package web

import (
	"net/netip"

	"github.com/loginwithiota/verifier/internal/safehttp"
)

// ErrAddressNotAllowed: the DID's host resolved to an address that is not
// publicly routable (or a redirect led to one), and private addresses are
// not allowed. It is safehttp.ErrAddressNotAllowed.
var ErrAddressNotAllowed = safehttp.ErrAddressNotAllowed

// Public reports whether ip is an address did:web may connect to by
// default: publicly routable unicast (safehttp.Public).
func Public(ip netip.Addr) bool { return safehttp.Public(ip) }
