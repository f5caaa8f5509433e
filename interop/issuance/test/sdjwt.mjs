// SD-JWT VCs through @sd-jwt/sd-jwt-vc 0.19 (claims, presentation with a
// KB-JWT, verification with the issuer's and the holder's keys) and keys
// as jose and node:crypto make them. Nothing here is our code.
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { createHash, randomBytes, sign, verify, createPrivateKey, createPublicKey } from 'node:crypto'
import * as jose from 'jose'

export const hasher = (data, alg = 'sha-256') =>
  createHash(alg.replace('-', '').toLowerCase()).update(typeof data === 'string' ? Buffer.from(data) : data).digest()
const saltGenerator = (n) => randomBytes(n).toString('base64url')

// jwsVerify checks a JWS signature (base64url) over data with a public JWK.
function jwsVerify(jwk, data, sig) {
  const key = createPublicKey({ key: jwk, format: 'jwk' })
  const s = Buffer.from(sig, 'base64url')
  return jwk.kty === 'OKP' ? verify(null, Buffer.from(data), key, s) : verify('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }, s)
}

// holderSigner is a holder's key (jose KeyLike private key, its alg) as
// @sd-jwt's Signer.
async function holderSigner(holder) {
  const key = createPrivateKey({ key: await jose.exportJWK(holder.privateKey), format: 'jwk' })
  return async (data) => (holder.alg === 'EdDSA'
    ? sign(null, Buffer.from(data), key)
    : sign('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' })).toString('base64url')
}

// claimsOf reads an SD-JWT VC's claims as its holder does.
export async function claimsOf(credential) {
  return new SDJwtVcInstance({ hasher, hashAlg: 'sha-256' }).getClaims(credential)
}

// presentSDJWT discloses the claims of frame ({givenName: true, …}) with
// a KB-JWT by holder for nonce and aud.
export async function presentSDJWT(holder, credential, frame, { nonce, aud }) {
  const sd = new SDJwtVcInstance({ hasher, hashAlg: 'sha-256', saltGenerator, kbSigner: await holderSigner(holder), kbSignAlg: holder.alg })
  return sd.present(credential, frame, { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud, nonce } } })
}

// verifySDJWT verifies a presentation with the library: the issuer
// signature with issuerJwk, the KB-JWT with the credential's cnf.jwk, its
// nonce and sd_hash; it returns the disclosed claims and the KB-JWT's
// payload (for its aud).
export async function verifySDJWT(presentation, issuerJwk, nonce) {
  const sd = new SDJwtVcInstance({
    hasher, hashAlg: 'sha-256',
    verifier: (data, sig) => jwsVerify(issuerJwk, data, sig),
    kbVerifier: (data, sig, payload) => jwsVerify(payload.cnf.jwk, data, sig),
  })
  const { payload } = await sd.verify(presentation, { keyBindingNonce: nonce })
  const kb = jose.decodeJwt(presentation.split('~').pop())
  return { payload, kb }
}

// didKeyJWK is the public JWK of an Ed25519 did:key (base58btc of 0xed01
// || key; a few lines rather than one more dependency).
export function didKeyJWK(did) {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
  let n = 0n
  for (const c of did.slice('did:key:z'.length)) n = n * 58n + BigInt(alphabet.indexOf(c))
  const bytes = Buffer.from(n.toString(16).padStart(68, '0'), 'hex')
  if (bytes[0] !== 0xed) throw new Error('not an Ed25519 did:key')
  return { kty: 'OKP', crv: 'Ed25519', x: bytes.subarray(2).toString('base64url') }
}
