// Our cmd/wallet answers a third party's verifier: @openid4vc/openid4vp
// 0.4.6's Openid4vpVerifier makes a draft-20 request (direct_post,
// client_id_scheme redirect_uri, a Presentation Exchange definition,
// client_metadata.vp_formats) and parses and validates what the wallet
// posts; the presentation's binding (nonce, client_id) and signature are
// checked here with jose. The wallet's credential comes from the built
// cmd/issuer. (OID4VP 1.0 with DCQL waits for the wallet's DCQL support.)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { createHash, randomBytes } from 'node:crypto'
import { Openid4vpVerifier } from '@openid4vc/openid4vp'
import { setGlobalConfig } from '@openid4vc/utils'
import { importJWK, jwtVerify } from 'jose'
import { start, wallet, tempHome } from './programs.mjs'

setGlobalConfig({ allowInsecureUrls: true })

const apiKey = 'interop-openid4vp-api-key-0123456789'

const definition = {
  id: 'verifiable-id', purpose: 'Log in',
  input_descriptors: [{
    id: 'vid',
    format: { ldp_vc: { proof_type: ['JcsEd25519Signature2020'] }, jwt_vc_json: { alg: ['EdDSA'] } },
    constraints: { fields: [{ path: ['$.type', '$.vc.type'], filter: { type: 'array', contains: { const: 'VerifiableId' } } }] },
  }],
}

// did:key of an Ed25519 key: base58btc of 0xed01 || key (a few lines
// rather than one more dependency).
function didKeyJWK(did) {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
  let n = 0n
  for (const c of did.slice('did:key:z'.length)) n = n * 58n + BigInt(alphabet.indexOf(c))
  const bytes = Buffer.from(n.toString(16).padStart(68, '0'), 'hex')
  assert.equal(bytes[0], 0xed, 'an Ed25519 did:key')
  return { kty: 'OKP', crv: 'Ed25519', x: bytes.subarray(2).toString('base64url') }
}

const callbacks = {
  hash: (data, alg) => createHash(alg.replace('-', '')).update(data).digest(),
  generateRandom: (n) => randomBytes(n),
  signJwt: async () => { throw new Error('unsigned requests only') },
  verifyJwt: async () => { throw new Error('not used') },
  encryptJwe: async () => { throw new Error('not used') },
  decryptJwe: async () => { throw new Error('not used') },
}

// rp is a relying party around Openid4vpVerifier: it answers the
// wallet's direct_post and keeps what the library made of it.
async function rp(t, vpFormats) {
  const verifier = new Openid4vpVerifier({ callbacks })
  let resolveAnswer
  const answered = new Promise((ok) => { resolveAnswer = ok })
  let request
  const server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    try {
      const parsed = await verifier.parseOpenid4vpAuthorizationResponse({
        authorizationResponse: Object.fromEntries(new URLSearchParams(body)),
        authorizationRequestPayload: request.authorizationRequestPayload,
        callbacks,
      })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      resolveAnswer({ parsed })
    } catch (err) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_request', error_description: String(err.message).slice(0, 200) }))
      resolveAnswer({ err })
    }
  })
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok))
  t.after(() => server.close())
  const responseUri = `http://127.0.0.1:${server.address().port}/response`
  const nonce = randomBytes(16).toString('base64url')
  request = await verifier.createOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: {
      response_type: 'vp_token', client_id: responseUri, client_id_scheme: 'redirect_uri',
      response_mode: 'direct_post', response_uri: responseUri, nonce, state: 'state-' + nonce,
      presentation_definition: definition, client_metadata: { vp_formats: vpFormats },
    },
  })
  return { request: request.authorizationRequest, answered, nonce, responseUri }
}

async function receive(issuer, home, configuration) {
  const o = await (await fetch(issuer.url + '/api/v1/offers', {
    method: 'POST', headers: { authorization: 'Bearer ' + apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ credential_configuration_ids: [configuration], claims: { givenName: 'Jane' } }),
  })).json()
  await wallet(home, 'receive', o.offer_uri, '--tx-code', o.tx_code)
}

test('cmd/wallet answers @openid4vc/openid4vp Openid4vpVerifier (draft-20, Presentation Exchange)', async (t) => {
  const issuer = await start(t, 'issuer', { repoFiles: ['issuer.yaml'], env: { ISSUER_API_KEY: apiKey } })

  await t.test('ldp_vp', async (t) => {
    const home = tempHome(t)
    await receive(issuer, home, 'VerifiableId')
    const did = (await wallet(home, 'did')).trim()
    const r = await rp(t, { ldp_vp: { proof_type: ['JcsEd25519Signature2020'] }, ldp_vc: { proof_type: ['JcsEd25519Signature2020'] } })
    const out = await wallet(home, 'present', r.request, '--yes')
    assert.match(out, /The verifier accepted the presentation/)
    const { parsed, err } = await r.answered
    assert.ifError(err)
    assert.equal(parsed.type, 'pex')
    assert.equal(parsed.pex.presentationSubmission.definition_id, definition.id)
    const vp = parsed.pex.presentations[0]
    assert.equal(vp.holder, did)
    assert.equal(vp.proof.challenge, r.nonce)
    assert.equal(vp.proof.domain, r.responseUri)
    assert.equal(vp.verifiableCredential[0].credentialSubject.id, did)
  })

  await t.test('jwt_vp_json', async (t) => {
    const home = tempHome(t)
    await receive(issuer, home, 'VerifiableId_JWT')
    const did = (await wallet(home, 'did')).trim()
    const r = await rp(t, { jwt_vp_json: { alg: ['EdDSA'] }, jwt_vc_json: { alg: ['EdDSA'] } })
    await wallet(home, 'present', r.request, '--yes')
    const { parsed, err } = await r.answered
    assert.ifError(err)
    assert.equal(parsed.type, 'pex')
    const token = parsed.pex.presentations[0]
    assert.equal(typeof token, 'string')
    const key = await importJWK(didKeyJWK(did), 'EdDSA')
    const { payload } = await jwtVerify(token, key, { audience: r.responseUri, issuer: did })
    assert.equal(payload.nonce, r.nonce)
    assert.equal(parsed.pex.presentationSubmission.descriptor_map[0].path_nested.path, '$.vp.verifiableCredential[0]')
  })
})
