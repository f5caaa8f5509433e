package safehttp

import (
	"net/netip"
	"syscall"
)

// nonPublic are ranges that netip's predicates do not cover but that are
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
	netip.MustParsePrefix("2002::/16"),       // 6to4: embeds an arbitrary IPv4
	netip.MustParsePrefix("2001::/32"),       // Teredo: embeds an IPv4 too
	netip.MustParsePrefix("::/96"),           // IPv4-compatible (deprecated)
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated)
}

// Public reports whether ip is a publicly routable unicast address: not
// loopback, private, link-local, CGNAT, unspecified, multicast or reserved,
// nor an IPv4-mapped or NAT64 form of one.
func Public(ip netip.Addr) bool {
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

// dialControl is the net.Dialer Control hook: it runs for every connection
// (redirect hops included) with the address actually being connected to.
func dialControl(allowed func(netip.AddrPort) bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return refused("unparsable address")
		}
		if !allowed(ap) {
			return refused("not a public address")
		}
		return nil
	}
}

// refused is ErrAddressNotAllowed as a cause: the net.OpError around it
// already names the address, and *Error the kind.
type refused string

func (r refused) Error() string        { return "refused: " + string(r) }
func (r refused) Is(target error) bool { return target == ErrAddressNotAllowed }
