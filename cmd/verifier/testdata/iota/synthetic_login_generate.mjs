// Generates synthetic_login.json, the IOTA login fixtures of the service
// tests (../../iota_test.go), with IOTA's own library, offline:
//
//   mkdir /tmp/gen && cd /tmp/gen && npm init -y
//   npm install @iota/identity-wasm@1.9.7-beta.1
//   node /path/to/synthetic_login_generate.mjs > synthetic_login.json
//
// Nothing talks to a node. DID documents are unpublished (random object
// ids), packed with IotaDocument.pack(); the iota_getObject and
// iotax_getDynamicFieldObject replies around them are written here in the
// shape of the IOTA JSON-RPC serializer, as in did/iota/testdata. The
// presentations are made for one fixed nonce and audience: the tests give a
// started session that nonce (through the session store), and run the
// service at https://verifier.example, whose client_id is the audience.
import { randomBytes } from "node:crypto";
import {
  Credential, DIDJwk, CoreDocument, IotaDID, IotaDocument, JwkMemStore, JwsAlgorithm,
  JwsSignatureOptions, JwtPresentationOptions, KeyIdMemStore, MethodDigest, MethodScope,
  Presentation, RevocationBitmap, Storage, Timestamp,
} from "@iota/identity-wasm/node/index.js";

const NONCE = "iota-login-nonce-5f0c2a7d9e";
const AUDIENCE = "https://verifier.example/oid4vp/response";
const OTHER_AUDIENCE = "https://other-verifier.example/oid4vp/response";

const hex = (n) => "0x" + randomBytes(n).toString("hex");
const b58 = () => {
  const a = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  let n = BigInt("0x" + randomBytes(32).toString("hex")), s = "";
  while (n > 0n) { s = a[Number(n % 58n)] + s; n /= 58n; }
  return s;
};
const IDENTITY_PKG = "0x222741bbdff74b42df48a7b4733185e9b24becb8ccfbafe8eac864ab4e4cc555";
const MAINNET_REGISTRY = "0xa884c72da9971da8ec32efade0a9b05faa114770ba85f10925d0edbc3fa3edc3";
const T0 = Timestamp.parse("2026-01-01T00:00:00Z");

const storage = new Storage(new JwkMemStore(), new KeyIdMemStore());

// IOTA's examples create methods with MethodScope.VerificationMethod(): the
// key is listed under verificationMethod only, in no relationship.
async function newIotaDoc(network, revoked) {
  const doc = IotaDocument.newWithId(IotaDID.fromObjectId(hex(32), network));
  await doc.generateMethod(storage, JwkMemStore.ed25519KeyType(), JwsAlgorithm.EdDSA, "#key-1", MethodScope.VerificationMethod());
  if (revoked) {
    const bitmap = new RevocationBitmap();
    for (const i of revoked) bitmap.revoke(i);
    doc.insertService(bitmap.toService(doc.id().join("#revocation")));
  }
  doc.setMetadataCreated(T0);
  doc.setMetadataUpdated(T0);
  return doc;
}

const objectResponse = (objectId, type, fields) => ({
  data: {
    objectId, version: String(1000 + Math.floor(Math.random() * 1000)), digest: b58(), type,
    content: { dataType: "moveObject", type, hasPublicTransfer: false, fields },
  },
});
function identityObject(objectId, packed, legacyId = null) {
  return objectResponse(objectId, `${IDENTITY_PKG}::identity::Identity`, {
    id: { id: objectId },
    did_doc: {
      type: `${IDENTITY_PKG}::multicontroller::Multicontroller<0x1::option::Option<vector<u8>>>`,
      fields: {
        controlled_value: Array.from(packed),
        controllers: { type: "0x2::vec_map::VecMap<0x2::object::ID, u64>", fields: { contents: [
          { type: "0x2::vec_map::Entry<0x2::object::ID, u64>", fields: { key: hex(32), value: "1" } }] } },
        threshold: "1",
        active_proposals: [],
        proposals: { type: "0x2::object_bag::ObjectBag", fields: { id: { id: hex(32) }, size: "0" } },
        revoked_tokens: { type: "0x2::vec_set::VecSet<0x2::object::ID>", fields: { contents: [] } },
      },
    },
    legacy_id: legacyId,
    created: String(Date.parse("2026-01-01T00:00:00Z")), updated: String(Date.parse("2026-01-01T00:00:00Z")), version: "1",
    deleted: false, deleted_did: false,
  });
}
const tagOf = (doc) => doc.id().toString().split(":").pop();

const objects = { testnet: {}, mainnet: {} }, dynamicFields = { mainnet: {} };

// The issuer: a Rebased identity on testnet with a revocation bitmap (index 3 revoked).
const issuer = await newIotaDoc("testnet", [3]);
objects.testnet[tagOf(issuer)] = identityObject(tagOf(issuer), issuer.pack());

// A second issuer whose DID is a Stardust alias migrated to Rebased: the
// alias object is gone, the mainnet migration registry maps it to an
// identity holding the alias's packed document.
const aliasIssuer = await newIotaDoc("iota", null);
const migratedTo = hex(32);
objects.mainnet[tagOf(aliasIssuer)] = { error: { code: "deleted", object_id: tagOf(aliasIssuer), version: "77", digest: b58() } };
objects.mainnet[migratedTo] = identityObject(migratedTo, aliasIssuer.pack(), tagOf(aliasIssuer));
const field = hex(32);
dynamicFields.mainnet[`${MAINNET_REGISTRY}/${tagOf(aliasIssuer)}`] = objectResponse(field,
  "0x2::dynamic_field::Field<0x2::object::ID, 0x2::object::ID>", { id: { id: field }, name: tagOf(aliasIssuer), value: migratedTo });

// Holders: a did:jwk (as IOTA wallets make them) and a did:iota identity.
const gen = await storage.keyStorage().generate(JwkMemStore.ed25519KeyType(), JwsAlgorithm.EdDSA);
const jwkHolder = CoreDocument.expandDIDJwk(DIDJwk.fromJwk(gen.jwk().toPublic()));
const jwkVM = jwkHolder.methods()[0];
await storage.keyIdStorage().insertKeyId(new MethodDigest(jwkVM), gen.keyId());
const iotaHolder = await newIotaDoc("testnet", null);
objects.testnet[tagOf(iotaHolder)] = identityObject(tagOf(iotaHolder), iotaHolder.pack());

const degree = (iss, sub, index, from, until) => {
  const c = {
    id: "https://issuer.example/credentials/" + index,
    type: ["VerifiableCredential", "UniversityDegreeCredential"],
    issuer: iss.id(), issuanceDate: Timestamp.parse(from),
    credentialSubject: { id: sub, name: "Alice", degree: { type: "BachelorDegree", name: "Bachelor of Science" } },
  };
  if (until) c.expirationDate = Timestamp.parse(until);
  if (index !== null) c.credentialStatus = { id: iss.id().toString() + "#revocation", type: "RevocationBitmap2022", revocationBitmapIndex: String(index) };
  return new Credential(c);
};
const sign = async (doc, cred) => (await doc.createCredentialJwt(storage, "#key-1", cred, new JwsSignatureOptions())).toString();
const holderDID = jwkHolder.id().toString();
const vcValid = await sign(issuer, degree(issuer, holderDID, 5, "2026-01-01T00:00:00Z", "2036-01-01T00:00:00Z"));
const vcRevoked = await sign(issuer, degree(issuer, holderDID, 3, "2026-01-01T00:00:00Z", "2036-01-01T00:00:00Z"));
const vcExpired = await sign(issuer, degree(issuer, holderDID, 6, "2025-01-01T00:00:00Z", "2026-06-01T00:00:00Z"));
const vcAlias = await sign(aliasIssuer, degree(aliasIssuer, iotaHolder.id().toString(), null, "2026-01-01T00:00:00Z", null));

const vp = async (holderDoc, fragment, vcs, aud = AUDIENCE) => (await holderDoc.createPresentationJwt(storage, fragment,
  new Presentation({ holder: holderDoc.id(), verifiableCredential: vcs }),
  new JwsSignatureOptions({ nonce: NONCE }),
  new JwtPresentationOptions({ audience: aud, issuanceDate: Timestamp.parse("2026-11-01T00:00:00Z") }))).toString();
const jwkFragment = "#" + jwkVM.id().fragment();

console.log(JSON.stringify({
  note: "made by synthetic_login_generate.mjs with @iota/identity-wasm; see README.md",
  nonce: NONCE, audience: AUDIENCE, otherAudience: OTHER_AUDIENCE,
  dids: {
    issuer: issuer.id().toString(), aliasIssuer: aliasIssuer.id().toString(), aliasMigratedTo: `did:iota:${migratedTo}`,
    jwkHolder: holderDID, iotaHolder: iotaHolder.id().toString(),
  },
  revokedIndex: 3, validIndex: 5,
  rpc: { chains: { testnet: "2304aa97", mainnet: "6364aad5" }, objects, dynamicFields },
  documents: { issuer: issuer.toCoreDocument().toJSON(), aliasIssuer: aliasIssuer.toCoreDocument().toJSON() },
  tokens: {
    vcValid, vcRevoked, vcExpired, vcAlias,
    vpJwk: await vp(jwkHolder, jwkFragment, [vcValid]),
    vpJwkRevoked: await vp(jwkHolder, jwkFragment, [vcRevoked]),
    vpJwkExpired: await vp(jwkHolder, jwkFragment, [vcExpired]),
    vpJwkOtherAudience: await vp(jwkHolder, jwkFragment, [vcValid], OTHER_AUDIENCE),
    vpIota: await vp(iotaHolder, "#key-1", [vcAlias]),
  },
}, null, 2));
