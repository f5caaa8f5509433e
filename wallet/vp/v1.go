package vp

import "errors"

// v1 is OID4VP 1.0: recognised (a dcql_query, or a client_id with a
// prefix such as redirect_uri: or x509_san_dns:) so that its requests are
// refused with a clear reason. Answering them is this file's job once the
// DCQL query engine exists: DCQL matching, client_id prefixes, signed
// request objects, vp_token keyed by credential query id.
type v1 struct{}

func (v1) name() string { return V1 }

func (v1) accepts(p params) bool {
	return p.has(pDCQL) || hasPrefix(p.str(pClientID))
}

func (v1) parse(params, *Request) error {
	return errors.New("OID4VP 1.0 requests (DCQL, client_id prefixes) are not supported by this wallet yet")
}

// hasPrefix: a 1.0 client_id prefix, "redirect_uri:https://…" and the
// like (a plain URL's "https:" is no prefix).
func hasPrefix(id string) bool {
	for _, p := range []string{"redirect_uri:", "x509_san_dns:", "x509_hash:", "decentralized_identifier:", "verifier_attestation:", "openid_federation:", "origin:"} {
		if len(id) > len(p) && id[:len(p)] == p {
			return true
		}
	}
	return false
}
