// Our cmd/wallet answers a third party's verifier: @openid4vc/openid4vp
// 0.4.6's Openid4vpVerifier makes a draft-20 request (direct_post,
// client_id_scheme redirect_uri, a Presentation Exchange definition,
// client_metadata.vp_formats), or a 1.0 one (a DCQL query, a request
// object it signs under decentralized_identifier:did:jwk, served by
// request_uri, GET or POST with the wallet's metadata and nonce,
// direct_post or direct_post.jwt), and parses and validates what the
// wallet posts (decrypting it through its callback). The presentations'
// binding (nonce, client_id) and signatures are checked here with jose
// and @sd-jwt/sd-jwt-vc, the vp_token against the query with dcql 3.0.0.
// The wallet's credentials come from the built cmd/issuer.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { createHash, randomBytes } from 'node:crypto'
import { Openid4vpVerifier } from '@openid4vc/openid4vp'
import { setGlobalConfig } from '@openid4vc/utils'
import { importJWK, jwtVerify, SignJWT, generateKeyPair, exportJWK, compactDecrypt, decodeJwt } from 'jose'
import { DcqlQuery, DcqlPresentationResult } from 'dcql'
import { start, wallet, tempHome } from './programs.mjs'
import { verifySDJWT } from './sdjwt.mjs'

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

async function receive(issuer, home, configuration, claims = { givenName: 'Jane' }) {
  const o = await (await fetch(issuer.url + '/api/v1/offers', {
    method: 'POST', headers: { authorization: 'Bearer ' + apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ credential_configuration_ids: [configuration], claims }),
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

// The 1.0 query: a VerifiableId SD-JWT VC's given name, or a VC-JWT's.
const dcqlQuery = {
  credentials: [
    { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['VerifiableId'] }, claims: [{ path: ['givenName'] }] },
    { id: 'vid', format: 'jwt_vc_json', meta: { type_values: [['VerifiableId']] }, claims: [{ path: ['credentialSubject', 'givenName'] }] },
  ],
  credential_sets: [{ options: [['pid'], ['vid']] }],
}

// rpV1 is a 1.0 relying party around Openid4vpVerifier: its request
// object signed (through signJwt, with jose) by its did:jwk, served at
// request_uri — to a POST made again with the wallet's nonce —, the answer
// parsed (and, for direct_post.jwt, decrypted through decryptJwe) by the
// library.
async function rpV1(t, { encrypt, method }) {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
  const { kty, crv, x, y } = await exportJWK(publicKey)
  const did = 'did:jwk:' + Buffer.from(JSON.stringify({ crv, kty, x, y })).toString('base64url')
  const kid = did + '#0'
  const clientId = 'decentralized_identifier:' + did
  const enc = encrypt ? await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true }) : undefined
  const encJwk = enc ? { ...(await exportJWK(enc.publicKey)), kid: 'enc-1', use: 'enc', alg: 'ECDH-ES' } : undefined
  const rpCallbacks = {
    ...callbacks,
    signJwt: async (signer, { header, payload }) => ({ jwt: await new SignJWT(payload).setProtectedHeader(header).sign(privateKey), signerJwk: { kty, crv, x, y } }),
    decryptJwe: async (jwe) => {
      const { plaintext } = await compactDecrypt(jwe, enc.privateKey)
      return { decrypted: true, decryptionJwk: encJwk, payload: new TextDecoder().decode(plaintext) }
    },
  }
  const verifier = new Openid4vpVerifier({ callbacks: rpCallbacks })
  let resolveAnswer
  const answered = new Promise((ok) => { resolveAnswer = ok })
  const seen = { walletForm: undefined, encrypted: false }
  let served
  const jarOf = (payload) => verifier.createOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: payload,
    // The library checks the wallet_nonce it is given is the one posted.
    wallet: payload.wallet_nonce ? { expectedNonce: payload.wallet_nonce } : undefined,
    jar: { requestUri: base + '/request', jwtSigner: { method: 'did', didUrl: kid, alg: 'ES256' }, expiresInSeconds: 300 },
  })
  const server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    if (req.url === '/request') {
      served = payload
      if (req.method === 'POST') {
        seen.walletForm = new URLSearchParams(body)
        served = { ...payload, wallet_nonce: seen.walletForm.get('wallet_nonce') }
      }
      const r = await jarOf(served)
      res.writeHead(200, { 'content-type': 'application/oauth-authz-req+jwt' }).end(r.jar.authorizationRequestJwt)
      return
    }
    try {
      const form = Object.fromEntries(new URLSearchParams(body))
      seen.encrypted = 'response' in form
      const parsed = await verifier.parseOpenid4vpAuthorizationResponse({ authorizationResponse: form, authorizationRequestPayload: served, callbacks: rpCallbacks })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      resolveAnswer({ parsed })
    } catch (err) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_request', error_description: String(err.message).slice(0, 200) }))
      resolveAnswer({ err })
    }
  })
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok))
  t.after(() => server.close())
  const base = `http://127.0.0.1:${server.address().port}`
  const nonce = randomBytes(16).toString('base64url')
  const payload = {
    response_type: 'vp_token', client_id: clientId, response_mode: encrypt ? 'direct_post.jwt' : 'direct_post',
    response_uri: base + '/response', nonce, state: 'state-' + nonce, dcql_query: dcqlQuery,
    client_metadata: {
      vp_formats_supported: { 'dc+sd-jwt': { 'sd-jwt_alg_values': ['EdDSA', 'ES256'], 'kb-jwt_alg_values': ['EdDSA', 'ES256'] }, jwt_vc_json: { alg_values: ['EdDSA', 'ES256'] } },
      ...(encrypt ? { jwks: { keys: [encJwk] }, encrypted_response_enc_values_supported: ['A256GCM'] } : {}),
    },
  }
  const first = await jarOf(payload)
  const request = first.authorizationRequest + (method === 'post' ? '&request_uri_method=post' : '')
  return { request, answered, nonce, clientId, seen }
}

// dcqlValid validates a vp_token's presentations (as dcql reads them)
// against the query with dcql 3.0.0.
function dcqlValid(views) {
  const result = DcqlPresentationResult.fromDcqlPresentation(views, { dcqlQuery: DcqlQuery.parse(dcqlQuery) })
  DcqlPresentationResult.validate(result)
  return result
}

test('cmd/wallet answers @openid4vc/openid4vp Openid4vpVerifier (1.0, DCQL, signed request objects)', async (t) => {
  const issuer = await start(t, 'issuer', { repoFiles: ['issuer.yaml'], env: { ISSUER_API_KEY: apiKey } })

  await t.test('dc+sd-jwt: request_uri POST, direct_post.jwt', async (t) => {
    const home = tempHome(t)
    await receive(issuer, home, 'VerifiableId_SD_JWT', { givenName: 'Jane', familyName: 'Doe', birthDate: '1993-04-08' })
    const r = await rpV1(t, { encrypt: true, method: 'post' })
    const out = await wallet(home, 'present', r.request, '--yes')
    assert.match(out, /The verifier accepted the presentation/)
    assert.match(out, /not shared: /)
    const { parsed, err } = await r.answered
    assert.ifError(err)
    assert.equal(parsed.type, 'dcql')
    assert.ok(r.seen.encrypted, 'a JWE in response')
    const metadata = JSON.parse(r.seen.walletForm.get('wallet_metadata'))
    assert.deepEqual(metadata.authorization_encryption_alg_values_supported, ['ECDH-ES'])
    assert.ok(r.seen.walletForm.get('wallet_nonce'))
    assert.deepEqual(Object.keys(parsed.dcql.presentations), ['pid'])
    const presentation = parsed.dcql.presentations.pid[0]
    const iss = decodeJwt(presentation.split('~')[0]).iss
    const issuerJwk = (await (await fetch(issuer.url + '/.well-known/jwt-vc-issuer')).json()).jwks.keys[0]
    const { payload, kb } = await verifySDJWT(presentation, issuerJwk, r.nonce)
    assert.ok(iss.startsWith('did:key:'))
    assert.equal(kb.aud, r.clientId, 'the KB-JWT is for the full client identifier')
    assert.equal(payload.givenName, 'Jane')
    assert.equal(payload.familyName, undefined, 'only the requested claim is disclosed')
    assert.equal(payload.birthDate, undefined)
    const result = dcqlValid({ pid: [{ credential_format: 'dc+sd-jwt', vct: payload.vct, claims: payload, cryptographic_holder_binding: true }] })
    assert.equal(result.can_be_satisfied, true)
  })

  await t.test('jwt_vc_json: request_uri GET, direct_post', async (t) => {
    const home = tempHome(t)
    await receive(issuer, home, 'VerifiableId_JWT')
    const did = (await wallet(home, 'did')).trim()
    const r = await rpV1(t, { encrypt: false, method: 'get' })
    await wallet(home, 'present', r.request, '--yes')
    const { parsed, err } = await r.answered
    assert.ifError(err)
    assert.equal(parsed.type, 'dcql')
    assert.equal(r.seen.encrypted, false)
    assert.deepEqual(Object.keys(parsed.dcql.presentations), ['vid'])
    const token = parsed.dcql.presentations.vid[0]
    const key = await importJWK(didKeyJWK(did), 'EdDSA')
    const { payload } = await jwtVerify(token, key, { audience: r.clientId, issuer: did })
    assert.equal(payload.nonce, r.nonce)
    const vc = decodeJwt(payload.vp.verifiableCredential[0]).vc
    const result = dcqlValid({ vid: [{ credential_format: 'jwt_vc_json', type: vc.type, claims: vc, cryptographic_holder_binding: true }] })
    assert.equal(result.can_be_satisfied, true)
  })
})
