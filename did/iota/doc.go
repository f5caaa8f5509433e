// Package iota resolves did:iota DIDs on IOTA Rebased (the Move-based IOTA
// network, identity.rs 1.6 and later) behind did.Resolver.
//
// A did:iota DID names a Move object: did:iota[:network]:0x<64 lowercase
// hex object id>. The network is a name ("iota" = mainnet, the default when
// omitted; "testnet"; "devnet"; or a configured custom name) or the 8-hex
// chain identifier itself. The DID document lives in that object, packed as
// identity.rs's state-metadata bytes ("DID", version 1, encoding 0 = JSON,
// u16 little-endian length, {"doc","meta"} JSON with did:0:0 standing for
// the DID):
//
//   - an iota_identity::identity::Identity object holds them in
//     did_doc.controlled_value (empty or null: deactivated; deleted_did:
//     deleted);
//   - an unmigrated Stardust alias (0x107a::alias::Alias) holds them in
//     state_metadata;
//   - a migrated Stardust alias is found through the network's migration
//     registry (a dynamic field alias id → identity id).
//
// Resolution speaks JSON-RPC over plain net/http to the endpoint configured
// for the DID's network (iota_getChainIdentifier, checked once per endpoint
// before any DID of it is trusted; iota_getObject with showContent;
// iotax_getDynamicFieldObject). The transport is the one-method RPC
// interface; everything else is pure functions over bytes (see unpack.go
// and move.go). Nothing is contacted unless a network is configured.
//
// Legacy DIDs (Chrysalis base58 tags, Stardust Shimmer "smr"/"rms"/"atoi"
// networks) cannot be resolved on Rebased and fail with ErrLegacyDID.
package iota
