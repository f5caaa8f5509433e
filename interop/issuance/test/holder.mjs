// A holder built from the maintained libraries only: keys and JWTs from
// jose, OID4VCI from @openid4vc/openid4vci's Openid4vciClient.
import { createHash, randomBytes } from 'node:crypto'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import { clientAuthenticationAnonymous } from '@openid4vc/oauth2'

const b64url = (s) => Buffer.from(s).toString('base64url')

// newHolder makes a key (EdDSA/Ed25519 or ES256/P-256) and its did:jwk.
export async function newHolder(alg) {
  // extractable: the SD-JWT library signs KB-JWTs with node:crypto keys.
  const { publicKey, privateKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519', extractable: true } : { extractable: true })
  const { kty, crv, x, y } = await exportJWK(publicKey)
  const jwk = y ? { crv, kty, x, y } : { crv, kty, x }
  const did = 'did:jwk:' + b64url(JSON.stringify(jwk))
  return { alg, privateKey, jwk, did, kid: did + '#0' }
}

// callbacks are what Openid4vciClient asks of its host: hashing,
// randomness, signing with the holder's key, anonymous client auth.
export function callbacks(holder) {
  return {
    fetch,
    hash: (data, alg) => createHash(alg.replace('-', '')).update(data).digest(),
    generateRandom: (n) => randomBytes(n),
    clientAuthentication: clientAuthenticationAnonymous(),
    signJwt: async (signer, { header, payload }) => {
      const jwt = await new SignJWT(payload).setProtectedHeader({ ...header, alg: holder.alg }).sign(holder.privateKey)
      return { jwt, signerJwk: holder.jwk }
    },
    verifyJwt: async () => { throw new Error('not used by the holder') },
    encryptJwe: async () => { throw new Error('not used') },
    decryptJwe: async () => { throw new Error('not used') },
  }
}

// jwtPresentation is a jwt_vp_json for a login request: iss the holder,
// aud the client_id, nonce the request's, the credential JWT inside.
export async function jwtPresentation(holder, credential, { clientId, nonce }) {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({
    nonce,
    vp: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiablePresentation'],
      holder: holder.did,
      verifiableCredential: [credential],
    },
  })
    .setProtectedHeader({ alg: holder.alg, typ: 'JWT', kid: holder.kid })
    .setIssuer(holder.did)
    .setAudience(clientId)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 300)
    .setJti('urn:uuid:' + crypto.randomUUID())
    .sign(holder.privateKey)
}
