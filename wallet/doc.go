// Package wallet is the holder side of cmd/wallet: a home directory with
// the holder's key and its credentials (every file 0600, the directory
// 0700; the private key is read, never printed), and the HTTP client the
// protocols use (bounded answers, timeouts, https except on loopback
// hosts, OAuth error answers as *RemoteError).
//
// The protocols are sub-packages: wallet/vci receives credentials over
// OpenID for Verifiable Credential Issuance 1.0 (pre-authorized code
// flow), wallet/vp answers OpenID for Verifiable Presentations requests.
package wallet
