// Generates the synthetic_* fixtures of did/iota, jwtvc and status with
// IOTA's own library, offline:
//
//   mkdir /tmp/gen && cd /tmp/gen && npm init -y
//   npm install @iota/identity-wasm@1.9.7-beta.1
//   node synthetic_generate.mjs OUTDIR
//
// Nothing here talks to a node: documents are unpublished (random object
// ids), packed with IotaDocument.pack(), and the iota_getObject replies are
// written by hand in the shape of the IOTA JSON-RPC serializer (structs as
// {"type","fields"}, vector<u8> as a number array, u64 as a string,
// Option<T> as T or null, UID as {"id"}). Keys and ids are new every run.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  Credential, CredentialV2, DIDJwk, CoreDocument, Duration, EnvelopedVc, IotaDID, IotaDocument,
  JwkMemStore, JwsAlgorithm, JwsSignatureOptions, JwtPresentationOptions, KeyIdMemStore, MethodDigest,
  MethodScope, Presentation, RevocationBitmap, Service, StatusList2021, StatusList2021CredentialBuilder,
  StatusList2021Entry, StatusPurpose, Storage, Timestamp,
} from "@iota/identity-wasm/node/index.js";

const out = process.argv[2] ?? "out";
const hex = (n) => "0x" + randomBytes(n).toString("hex");
const b58 = () => { // a plausible object digest (base58 of 32 bytes)
  const a = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  let n = BigInt("0x" + randomBytes(32).toString("hex")), s = "";
  while (n > 0n) { s = a[Number(n % 58n)] + s; n /= 58n; }
  return s;
};
const IDENTITY_PKG = "0x222741bbdff74b42df48a7b4733185e9b24becb8ccfbafe8eac864ab4e4cc555"; // a testnet iota_identity package id
const MAINNET_REGISTRY = "0xa884c72da9971da8ec32efade0a9b05faa114770ba85f10925d0edbc3fa3edc3";
const T0 = Timestamp.parse("2026-01-01T00:00:00Z");
const ms = (iso) => String(Date.parse(iso));

const storage = new Storage(new JwkMemStore(), new KeyIdMemStore());

async function newIotaDoc(network, scope, withRevocation, revoked = []) {
  const doc = IotaDocument.newWithId(IotaDID.fromObjectId(hex(32), network));
  await doc.generateMethod(storage, JwkMemStore.ed25519KeyType(), JwsAlgorithm.EdDSA, "#key-1", scope);
  if (withRevocation) {
    const bitmap = new RevocationBitmap();
    for (const i of revoked) bitmap.revoke(i);
    doc.insertService(bitmap.toService(doc.id().join("#revocation")));
  }
  doc.setMetadataCreated(T0);
  doc.setMetadataUpdated(T0);
  return doc;
}

// --- JSON-RPC object replies ----------------------------------------------
const objectResponse = (objectId, type, fields) => ({
  data: {
    objectId, version: String(1000 + Math.floor(Math.random() * 1000)), digest: b58(), type,
    content: { dataType: "moveObject", type, hasPublicTransfer: false, fields },
  },
});
const bytes = (u8) => (u8 === null ? null : Array.from(u8));
function identityObject(objectId, controlled, extra = {}) {
  const cap = hex(32);
  return objectResponse(objectId, `${IDENTITY_PKG}::identity::Identity`, {
    id: { id: objectId },
    did_doc: {
      type: `${IDENTITY_PKG}::multicontroller::Multicontroller<0x1::option::Option<vector<u8>>>`,
      fields: {
        controlled_value: bytes(controlled),
        controllers: { type: "0x2::vec_map::VecMap<0x2::object::ID, u64>", fields: { contents: [
          { type: "0x2::vec_map::Entry<0x2::object::ID, u64>", fields: { key: cap, value: "1" } }] } },
        threshold: "1",
        active_proposals: [],
        proposals: { type: "0x2::object_bag::ObjectBag", fields: { id: { id: hex(32) }, size: "0" } },
        revoked_tokens: { type: "0x2::vec_set::VecSet<0x2::object::ID>", fields: { contents: [] } },
      },
    },
    legacy_id: extra.legacy_id ?? null,
    created: ms("2026-01-01T00:00:00Z"), updated: ms("2026-01-01T00:00:00Z"), version: "1",
    deleted: extra.deleted ?? false, deleted_did: extra.deleted_did ?? false,
  });
}
function aliasObject(objectId, stateMetadata) {
  return objectResponse(objectId, "0x107a::alias::Alias", {
    id: { id: objectId }, legacy_state_controller: hex(32), state_index: 3,
    state_metadata: bytes(stateMetadata), sender: null, metadata: null, immutable_issuer: null, immutable_metadata: null,
  });
}
const tagOf = (doc) => doc.id().toString().split(":").pop();
const core = (doc) => doc.toCoreDocument().toJSON();

// --- did/iota fixtures ------------------------------------------------------
async function didIotaFixtures() {
  const objects = { testnet: {}, mainnet: {} }, fields = { mainnet: {} }, cases = [];

  const a = await newIotaDoc("testnet", MethodScope.AssertionMethod(), true, [2]);
  objects.testnet[tagOf(a)] = identityObject(tagOf(a), a.pack());
  cases.push({ name: "identity", did: a.id().toString(), want: core(a) });

  const b = await newIotaDoc("iota", MethodScope.VerificationMethod(), false);
  objects.mainnet[tagOf(b)] = aliasObject(tagOf(b), b.pack());
  cases.push({ name: "unmigrated alias", did: b.id().toString(), want: core(b) });

  // Migration: the alias object is gone (deleted when migrated); the
  // registry maps its id to a new identity holding the alias's packed bytes.
  const c = await newIotaDoc("iota", MethodScope.Authentication(), false);
  const identityOfC = hex(32);
  objects.mainnet[tagOf(c)] = { error: { code: "deleted", object_id: tagOf(c), version: "77", digest: b58() } };
  objects.mainnet[identityOfC] = identityObject(identityOfC, c.pack(), { legacy_id: tagOf(c) });
  const field = hex(32);
  fields.mainnet[`${MAINNET_REGISTRY}/${tagOf(c)}`] = objectResponse(field,
    "0x2::dynamic_field::Field<0x2::object::ID, 0x2::object::ID>", { id: { id: field }, name: tagOf(c), value: identityOfC });
  const wantC = core(c);
  wantC.alsoKnownAs = [`did:iota:${identityOfC}`];
  cases.push({ name: "migrated alias", did: c.id().toString(), want: wantC });
  const wantD = JSON.parse(JSON.stringify(core(c)).replaceAll(c.id().toString(), `did:iota:${identityOfC}`));
  wantD.alsoKnownAs = [c.id().toString()];
  cases.push({ name: "migrated identity by its own id", did: `did:iota:${identityOfC}`, want: wantD });

  const deact = hex(32);
  objects.testnet[deact] = identityObject(deact, new Uint8Array(0));
  cases.push({ name: "deactivated (empty value)", did: `did:iota:testnet:${deact}`, error: "deactivated" });
  const deactNull = hex(32);
  objects.testnet[deactNull] = identityObject(deactNull, null);
  cases.push({ name: "deactivated (no value)", did: `did:iota:testnet:${deactNull}`, error: "deactivated" });
  const e = await newIotaDoc("testnet", MethodScope.VerificationMethod(), false);
  e.setMetadataDeactivated(true);
  objects.testnet[tagOf(e)] = identityObject(tagOf(e), e.pack());
  cases.push({ name: "deactivated (metadata)", did: e.id().toString(), error: "deactivated" });
  const delDID = hex(32);
  objects.testnet[delDID] = identityObject(delDID, null, { deleted_did: true });
  cases.push({ name: "deleted DID document", did: `did:iota:testnet:${delDID}`, error: "deleted" });
  const delObj = hex(32);
  objects.testnet[delObj] = { error: { code: "deleted", object_id: delObj, version: "9", digest: b58() } };
  cases.push({ name: "deleted object", did: `did:iota:testnet:${delObj}`, error: "deleted" });
  const none = hex(32);
  objects.testnet[none] = { error: { code: "notExists", object_id: none } };
  cases.push({ name: "no such object", did: `did:iota:testnet:${none}`, error: "not found" });
  const coin = hex(32);
  objects.testnet[coin] = objectResponse(coin, "0x2::coin::Coin<0x2::iota::IOTA>", { id: { id: coin }, balance: "1000" });
  cases.push({ name: "wrong object type", did: `did:iota:testnet:${coin}`, error: "wrong type" });

  return {
    chains: { testnet: "2304aa97", mainnet: "6364aad5" },
    identityPackage: IDENTITY_PKG, mainnetRegistry: MAINNET_REGISTRY,
    objects, dynamicFields: fields, cases,
  };
}

// --- JWT fixtures -------------------------------------------------------------
async function jwkHolder() {
  const gen = await storage.keyStorage().generate(JwkMemStore.ed25519KeyType(), JwsAlgorithm.EdDSA);
  const didJwk = DIDJwk.fromJwk(gen.jwk().toPublic());
  const doc = CoreDocument.expandDIDJwk(didJwk);
  const vm = doc.methods()[0];
  await storage.keyIdStorage().insertKeyId(new MethodDigest(vm), gen.keyId());
  return { doc, fragment: vm.id().fragment() };
}

async function jwtFixtures() {
  const issuer = await newIotaDoc("testnet", MethodScope.AssertionMethod(), true, [3]);
  const legacyIssuer = await newIotaDoc("testnet", MethodScope.VerificationMethod(), false);
  const holder = await jwkHolder();
  const iotaHolder = await newIotaDoc("testnet", MethodScope.Authentication(), false);
  const holderDID = holder.doc.id().toString();
  const nbf = Timestamp.parse("2026-01-01T00:00:00Z"), exp = Timestamp.parse("2027-01-01T00:00:00Z");

  const credential = (iss, sub, index) => new Credential({
    id: "https://issuer.example/credentials/" + index,
    type: ["VerifiableCredential", "UniversityDegreeCredential"],
    issuer: iss.id(), issuanceDate: nbf, expirationDate: exp,
    credentialSubject: { id: sub, name: "Alice", degree: { type: "BachelorDegree", name: "Bachelor of Science" } },
    credentialStatus: { id: iss.id().toString() + "#revocation", type: "RevocationBitmap2022", revocationBitmapIndex: String(index) },
  });
  const vc = (await issuer.createCredentialJwt(storage, "#key-1", credential(issuer, holderDID, 5), new JwsSignatureOptions())).toString();
  const vcRevoked = (await issuer.createCredentialJwt(storage, "#key-1", credential(issuer, holderDID, 3), new JwsSignatureOptions())).toString();
  const vcLegacy = (await legacyIssuer.createCredentialJwt(storage, "#key-1", new Credential({
    type: "VerifiableCredential", issuer: legacyIssuer.id(), issuanceDate: nbf,
    credentialSubject: { id: iotaHolder.id().toString(), name: "Bob" } }), new JwsSignatureOptions())).toString();
  const vcV2 = (await issuer.createCredentialV2Jwt(storage, "#key-1", new CredentialV2({
    id: "https://issuer.example/credentials/v2/1", type: ["VerifiableCredential", "ExampleDegreeCredential"],
    issuer: issuer.id().toString(), validFrom: nbf, validUntil: exp,
    credentialSubject: { id: holderDID, name: "Alice" } }), new JwsSignatureOptions())).toString();

  const nonce = "n-0S6_WzA2Mj", aud = "https://verifier.example.org/oid4vp/response";
  const iat = Timestamp.parse("2026-03-01T12:00:00Z"), vpExp = Timestamp.parse("2026-03-01T12:10:00Z");
  const vp = async (holderDoc, fragment, vcs) => (await holderDoc.createPresentationJwt(storage, fragment,
    new Presentation({ holder: holderDoc.id(), verifiableCredential: vcs }),
    new JwsSignatureOptions({ nonce }),
    new JwtPresentationOptions({ audience: aud, issuanceDate: iat, expirationDate: vpExp }))).toString();

  return {
    note: "made by synthetic_generate.mjs with @iota/identity-wasm; see README.md",
    nonce, audience: aud, iat: "2026-03-01T12:00:00Z", exp: "2026-03-01T12:10:00Z",
    credentialNotBefore: "2026-01-01T00:00:00Z", credentialExpires: "2027-01-01T00:00:00Z",
    documents: { issuer: core(issuer), legacyIssuer: core(legacyIssuer), iotaHolder: core(iotaHolder), jwkHolder: holder.doc.toJSON() },
    revokedIndex: 3, validIndex: 5,
    tokens: {
      vc, vcRevoked, vcLegacy, vcV2,
      vpJwk: await vp(holder.doc, holder.fragment, [vc]),
      vpJwkRevoked: await vp(holder.doc, holder.fragment, [vcRevoked]),
      vpIota: await vp(iotaHolder, "#key-1", [vcLegacy]),
      vpV2: await vp(holder.doc, holder.fragment, [new EnvelopedVc("data:application/vc+jwt," + vcV2)]),
    },
  };
}

// --- StatusList2021 fixtures ----------------------------------------------------
async function statusListFixtures() {
  const issuer = await newIotaDoc("testnet", MethodScope.AssertionMethod(), false);
  const listURL = "https://status.example/lists/1";
  const list = new StatusList2021(131072);
  const revoked = 94567, valid = 94568;
  list.set(revoked, true);
  const listCredential = new StatusList2021CredentialBuilder(list)
    .subjectId(listURL + "#list").issuer(issuer.id().toString()).purpose(StatusPurpose.Revocation).build();
  const listJSON = listCredential.toJSON();
  listJSON.id = listURL;
  listJSON.issuanceDate = "2026-01-01T00:00:00Z";
  const listJwt = (await issuer.createCredentialJwt(storage, "#key-1", Credential.fromJSON(listJSON), new JwsSignatureOptions())).toString();
  const entry = (i) => new StatusList2021Entry(listURL, StatusPurpose.Revocation, i, listURL + "#" + i).toJSON();
  return {
    note: "made by did/iota/testdata/synthetic_generate.mjs with @iota/identity-wasm; see README.md",
    issuer: core(issuer), listURL, listCredential: listJSON, listJwt, revokedIndex: revoked, validIndex: valid,
    revokedEntry: entry(revoked), validEntry: entry(valid),
  };
}

const write = (dir, name, v) => { mkdirSync(join(out, dir), { recursive: true }); writeFileSync(join(out, dir, name), JSON.stringify(v, null, 2) + "\n"); };
write("did/iota/testdata", "synthetic_rpc.json", await didIotaFixtures());
write("jwtvc/testdata", "synthetic_jwt.json", await jwtFixtures());
write("status/testdata", "synthetic_statuslist2021.json", await statusListFixtures());
console.log("written to", out);
