// Package status checks the status of verifiable credentials: whether the
// issuer has revoked or suspended them since issuing.
//
// Four status methods are understood:
//
//   - RevocationBitmap2022 (IOTA): credentialStatus names a service of the
//     issuer's DID document whose endpoint is
//     data:application/octet-stream;base64,<base64url of a zlib-compressed
//     Roaring bitmap> of revoked indices (the older double-base64 form
//     identity.rs wrote before its PR #1291 is accepted too). The issuer's
//     document comes from a did.Resolver.
//   - StatusList2021 and BitstringStatusList (W3C): credentialStatus names a
//     status list credential, fetched through a Fetcher (HTTPFetcher: HTTPS
//     only, size limit, timeout), its own proof checked by the injected
//     ListVerifier, cached for a while; its encodedList is a gzip-compressed,
//     base64url bitstring, one bit per credential, for the purpose
//     (revocation or suspension) the entry names.
//   - Token Status List (IETF draft-ietf-oauth-status-list), for SD-JWT VCs:
//     status.status_list.{uri, idx} names a Status List Token (a JWT, typ
//     statuslist+jwt), fetched through the Fetcher, its signature checked by
//     the injected TokenListVerifier, sub = uri, exp and ttl honoured, cached;
//     its lst is a zlib-compressed byte array of 1, 2, 4 or 8 bits per
//     credential: 0x00 VALID, 0x01 INVALID (revoked), 0x02 SUSPENDED, any
//     other value unknown. Checker.CheckTokenStatus takes the uri and idx the
//     caller read from the verified credential.
//
// A Checker reports, per entry and overall, active, revoked, suspended or
// unknown (the status could not be established: unreachable list, broken
// signature, unsupported method, …). Unknown fails closed unless
// Options.FailOpen.
package status
