// IOTA's own library, @iota/identity-wasm 1.9, on the holder's and the
// issuer's side: did:jwk parties in its storage, SD-JWT VCs
// (SdJwtVcBuilder; presentations with SdJwtVcPresentationBuilder and a
// KeyBindingJwtBuilder KB-JWT) and VC Data Model 2.0 JWTs
// (createCredentialV2Jwt, an enveloped credential in a Presentation.newV2
// signed by createPresentationJwt: typ vp+jwt, the nonce in the header).
const id = await import('identity-wasm-1.9/node/index.js');

const storage = new id.Storage(new id.JwkMemStore(), new id.KeyIdMemStore());
export const hasher = new id.Sha256Hasher();

export async function identityParty() {
  const gen = await storage.keyStorage().generate(id.JwkMemStore.ed25519KeyType(), id.JwsAlgorithm.EdDSA);
  const doc = id.CoreDocument.expandDIDJwk(id.DIDJwk.fromJwk(gen.jwk().toPublic()));
  const vm = doc.methods()[0];
  await storage.keyIdStorage().insertKeyId(new id.MethodDigest(vm), gen.keyId());
  const signer = (await id.StorageSigner.fromVmFragment(storage, doc, vm.id().fragment())).asJwsSigner();
  const pub = gen.jwk().toPublic().toJSON();
  return { doc, vm, did: doc.id().toString(), kid: doc.id().toString() + '#' + vm.id().fragment(), fragment: '#' + vm.id().fragment(), pub, signer };
}

// sdjwtVC issues a VerifiableId SD-JWT VC: iss the issuer's DID (or an
// https URL, whose key the verifier finds in its JWT VC issuer
// metadata), kid, cnf.jwk the holder's key, the claims concealable.
export async function sdjwtVC(issuer, holder, { iss = issuer.did, kid = issuer.kid, claims = { givenName: 'Jane', familyName: 'Doe' } } = {}) {
  let b = new id.SdJwtVcBuilder(claims, hasher).iss(iss).vct('VerifiableId').iat(id.Timestamp.nowUTC());
  for (const k of Object.keys(claims)) b = b.makeConcealable('/' + k);
  const vc = await b.header('kid', kid).header('typ', 'dc+sd-jwt').requireKeyBinding({ jwk: holder.pub }).finish(issuer.signer, 'EdDSA');
  return vc.toString();
}

// presentSDJWT discloses names only (the builder starts from every
// disclosure: conceal_all first) and binds the presentation to nonce and
// aud with a KB-JWT, all by identity-wasm.
export async function presentSDJWT(holder, credential, names, { nonce, aud }) {
  let pb = id.SdJwtVc.parse(credential).intoPresentation(hasher).conceal_all();
  for (const n of names) pb = pb.disclose('/' + n);
  const tok = pb.finish().sdJwtVc;
  const kb = await new id.KeyBindingJwtBuilder().iat(id.Timestamp.nowUTC()).aud(aud).nonce(nonce).finish(tok.asSdJwt(), 'EdDSA', holder.signer);
  tok.attachKeyBindingJwt(kb);
  return tok.toString();
}

// vcdm2VP is a VC Data Model 2.0 presentation JWT by holder of a
// VerifiableId vc+jwt by issuer, for nonce and aud.
export async function vcdm2VP(issuer, holder, { nonce, aud }) {
  const cred = new id.CredentialV2({
    id: 'https://issuer.example/credentials/' + crypto.randomUUID(), type: ['VerifiableCredential', 'VerifiableId'], issuer: issuer.doc.id(),
    credentialSubject: { id: holder.did, givenName: 'Jane', familyName: 'Doe', birthDate: '1990-01-01' },
  });
  const jwt = await issuer.doc.createCredentialV2Jwt(storage, issuer.fragment, cred, new id.JwsSignatureOptions());
  const pres = id.Presentation.newV2({ holder: holder.doc.id(), verifiableCredential: [jwt.intoEnvelopedVc()] });
  const vp = await holder.doc.createPresentationJwt(storage, holder.fragment, pres, new id.JwsSignatureOptions({ nonce }), new id.JwtPresentationOptions({ audience: aud }));
  return vp.toString();
}
