package web

import (
	"errors"
	"fmt"
	"net/netip"
	"syscall"
)

// ErrAddressNotAllowed: the DID's host resolved to an address that is not
// publicly routable, and private addresses are not allowed.
var ErrAddressNotAllowed = errors.New("did:web host resolves to a non-public address")

// nonPublic are ranges that are not covered by netip's predicates but are
// not the public internet either.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // TEST-NET-1
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),  // TEST-NET-3
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64: could reach internal IPv4
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
}

// public reports whether ip is a publicly routable unicast address.
func public(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// dialControl is the net.Dialer Control hook: it sees the address actually
// being connected to.
func dialControl(allowPrivate bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: cannot parse %q", ErrAddressNotAllowed, address)
		}
		if !public(ap.Addr()) {
			return fmt.Errorf("%w: %s", ErrAddressNotAllowed, ap.Addr())
		}
		return nil
	}
}

// Public reports whether ip is an address did:web may connect to by
// default: publicly routable unicast.
func Public(ip netip.Addr) bool { return public(ip) }
