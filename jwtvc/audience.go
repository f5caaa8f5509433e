package jwtvc

import (
	"net"
	"net/url"
	"strings"
)

// SameAudience reports whether aud names the client_id want. Identifiers
// that are http(s) URLs compare after normalisation: scheme and host are
// case-insensitive (RFC 3986 §6.2.2.1), a default port is the same as none
// (§6.2.3), and a trailing slash of the path does not count (wallets, IOTA's
// library among them, write "https://verifier.example/" for
// "https://verifier.example"). An OID4VP "redirect_uri:" prefix is kept and
// the URL after it normalised. Anything else must match exactly.
func SameAudience(aud, want string) bool {
	return aud == want || normalizeAudience(aud) == normalizeAudience(want)
}

func normalizeAudience(s string) string {
	const prefix = "redirect_uri:"
	if rest, ok := strings.CutPrefix(s, prefix); ok {
		return prefix + normalizeAudience(rest)
	}
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" || u.User != nil || u.Host == "" {
		return s
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return s
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if scheme == "https" && port == "443" || scheme == "http" && port == "80" {
		port = ""
	}
	if port != "" || strings.Contains(host, ":") {
		host = net.JoinHostPort(host, port)
		host = strings.TrimSuffix(host, ":")
	}
	out := scheme + "://" + host + strings.TrimRight(u.EscapedPath(), "/")
	if u.RawQuery != "" || u.ForceQuery {
		out += "?" + u.RawQuery
	}
	return out
}
