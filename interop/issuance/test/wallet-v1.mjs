// A 1.0 wallet made of maintained libraries: @openid4vc/openid4vp 0.4.6's
// Openid4vpClient (parsing the QR, fetching the request object by
// request_uri POST with the wallet's metadata, checking its signature by
// the verifier's did:jwk through the verifyJwt callback, building and
// submitting the response), dcql 3.0.0 (choosing the credential) and
// @sd-jwt/sd-jwt-vc (presenting it with a KB-JWT).
import { Openid4vpClient } from '@openid4vc/openid4vp'
import { DcqlQuery } from 'dcql'
import * as jose from 'jose'
import { createHash, randomBytes } from 'node:crypto'
import { claimsOf, presentSDJWT } from './sdjwt.mjs'

async function verifyJwt(signer, { compact }) {
  if (signer.method !== 'did' || !signer.didUrl.startsWith('did:jwk:')) return { verified: false }
  const jwk = JSON.parse(Buffer.from(signer.didUrl.split('#')[0].slice('did:jwk:'.length), 'base64url').toString())
  try {
    await jose.compactVerify(compact, await jose.importJWK(jwk, signer.alg))
    return { verified: true, signerJwk: jwk }
  } catch {
    return { verified: false }
  }
}

const client = new Openid4vpClient({
  callbacks: {
    fetch,
    hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
    generateRandom: (n) => randomBytes(n),
    verifyJwt,
    signJwt: async () => { throw new Error('the response is not signed') },
    encryptJwe: async () => { throw new Error('the response is not encrypted') },
    decryptJwe: async () => { throw new Error('the request is not encrypted') },
  },
})

// The wallet's metadata: the formats it presents, no response encryption
// (so a when_supported verifier answers direct_post).
const metadata = {
  vp_formats_supported: { 'dc+sd-jwt': { 'sd-jwt_alg_values': ['EdDSA', 'ES256'], 'kb-jwt_alg_values': ['EdDSA', 'ES256'] } },
  client_id_prefixes_supported: ['decentralized_identifier'],
}

// loginV1 answers a 1.0 QR with an SD-JWT VC: resolve, select with DCQL,
// disclose the claims the chosen query asks for, respond.
export async function loginV1(uri, holder, credential) {
  const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: uri })
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: parsed.params, wallet: { metadata, nonce: randomBytes(12).toString('base64url') },
  })
  const request = resolved.authorizationRequestPayload
  const q = DcqlQuery.parse(request.dcql_query)
  DcqlQuery.validate(q)
  const claims = await claimsOf(credential)
  const result = DcqlQuery.query(q, [{ credential_format: 'dc+sd-jwt', vct: claims.vct, claims, cryptographic_holder_binding: true }])
  if (!result.can_be_satisfied) throw new Error('dcql: the query cannot be satisfied by the credential')
  const ids = result.credential_sets ? result.credential_sets.map((s) => s.matching_options?.[0] ?? []).flat() : q.credentials.map((c) => c.id)
  const query = q.credentials.find((c) => c.id === ids[0])
  const frame = Object.fromEntries((query.claims ?? []).map((c) => [c.path[0], true]))
  const vp = await presentSDJWT(holder, credential, frame, { nonce: request.nonce, aud: request.client_id })
  const created = await client.createOpenid4vpAuthorizationResponse({ authorizationRequestPayload: request, authorizationResponsePayload: { vp_token: { [query.id]: [vp] } } })
  const submitted = await client.submitOpenid4vpAuthorizationResponse({ authorizationRequestPayload: request, authorizationResponsePayload: created.authorizationResponsePayload })
  return { status: submitted.response.status, body: await submitted.response.text(), request, queryId: query.id }
}
