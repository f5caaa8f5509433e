// Package verifier is the OID4VP relying-party core: it starts login
// sessions, builds the authorization requests wallets read, and runs the
// verification pipeline on wallet responses (presentation submission, PEX,
// proofs, holder binding, validity, policy, credential status). It knows
// nothing of HTTP frameworks or YAML: web and cmd wire it.
//
// A vp_token holds linked-data presentations (ldp_vp, checked by ldproof)
// and presentation JWTs (jwt_vp_json, VC Data Model 2.0 vp+jwt, checked
// by jwtvc), in any mix; their credentials are ldp_vc, credential JWTs
// (jwt_vc_json, vc+jwt) or enveloped vc+sd-jwt. An OID4VP 1.0 answer's
// vp_token is keyed by DCQL credential query id (answer_dcql.go,
// query_dcql.go) and may hold SD-JWT VCs (format_sdjwt.go); its requests
// are signed under the verifier's client identifier (identity.go, v1.go)
// and its answer may come encrypted (response_v1.go). Keys come
// from DID documents through one lookup for both (keys.go, which also says
// how IOTA documents' keys are authorised). Credential status
// (RevocationBitmap2022, StatusList2021, BitstringStatusList) is checked
// once per verification and shared with Presentation Exchange's statuses
// constraints (status.go, statuslist.go).
package verifier
