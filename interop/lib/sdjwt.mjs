// SD-JWT VCs made and presented by @sd-jwt/sd-jwt-vc 0.19 (the library
// issues, discloses and signs the KB-JWT; the test supplies keys and
// claims). A VerifiableId SD-JWT VC: vct VerifiableId, the same claims as
// the W3C credentials, each selectively disclosable.
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { createHash, randomBytes, sign, createPrivateKey } from 'node:crypto';
import { subjectClaims } from './keys.mjs';

export const hasher = (data, alg = 'sha-256') =>
  createHash(alg.replace('-', '').toLowerCase()).update(typeof data === 'string' ? Buffer.from(data) : data).digest();
const saltGenerator = (n) => randomBytes(n).toString('base64url');

// signerOf is a party's key as @sd-jwt's Signer: base64url of the JWS
// signature over the signing input.
export function signerOf(party) {
  const key = createPrivateKey({ key: party.jwk, format: 'jwk' });
  return async (data) => (party.alg === 'EdDSA'
    ? sign(null, Buffer.from(data), key)
    : sign('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' })).toString('base64url');
}

// issueSDJWT is an SD-JWT VC by issuer (a did:jwk / did:key party: kid
// its verification method, iss its DID) bound to holder's key (cnf.jwk).
export async function issueSDJWT(issuer, holder, { vct = 'VerifiableId', claims = subjectClaims, status, iat, exp, extra = {}, typ = 'dc+sd-jwt' } = {}) {
  const sd = new SDJwtVcInstance({ signer: signerOf(issuer), signAlg: issuer.alg, hasher, hashAlg: 'sha-256', saltGenerator });
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: issuer.did, iat: iat ?? now - 60, vct, cnf: { jwk: holder.pub }, ...claims, ...extra };
  if (status) payload.status = status;
  if (exp) payload.exp = exp;
  return sd.issue(payload, { _sd: Object.keys(claims) }, { header: { typ, kid: issuer.kid } });
}

// presentSDJWT discloses the claims of frame ({givenName: true, …}) and
// adds a KB-JWT signed by holder for nonce and aud (iat now unless given).
export async function presentSDJWT(holder, credential, frame, { nonce, aud, iat }) {
  const sd = new SDJwtVcInstance({ hasher, hashAlg: 'sha-256', saltGenerator, kbSigner: signerOf(holder), kbSignAlg: holder.alg });
  return sd.present(credential, frame, { kb: { payload: { iat: iat ?? Math.floor(Date.now() / 1000), aud, nonce } } });
}

// claimsOf reads an SD-JWT VC's claims as a holder does (every
// disclosure resolved), for DCQL selection.
export async function claimsOf(credential) {
  const sd = new SDJwtVcInstance({ hasher, hashAlg: 'sha-256' });
  return sd.getClaims(credential);
}
