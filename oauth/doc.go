// Package oauth is the one error type every endpoint answers with: an
// OAuth 2.0-style error (RFC 6749 §5.2, RFC 6750 §3.1, OID4VP §8.5,
// OID4VCI 1.0 §6.3 and §8.3.1) with a code from a
// closed set, the verifier's reason, a description safe to show to anyone,
// and a hidden cause that goes to the log only.
//
// Codes are the constants below and nothing else: New refuses any other.
// A wallet's own error code (a holder's decline) is data the verifier
// stores in the session, never one of these, so it never sets our HTTP
// status.
package oauth
