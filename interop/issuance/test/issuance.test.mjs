// @openid4vc/openid4vci 0.4.6 (Openid4vciClient, OID4VCI 1.0) receives a
// credential from the built cmd/issuer through the pre-authorized code
// flow with a tx_code and a jwt proof; the credential then logs in to the
// built cmd/verifier: a VC-JWT presented as a jwt_vp_json made with jose,
// an SD-JWT VC (dc+sd-jwt) through OID4VP 1.0 by a wallet made of
// @openid4vc/openid4vp, dcql and @sd-jwt/sd-jwt-vc, on the shipped
// config.yaml (which trusts the issuer's did:key).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Openid4vciClient, Openid4vciVersion } from '@openid4vc/openid4vci'
import { setGlobalConfig } from '@openid4vc/utils'
import { start, anyFormatConfig } from './programs.mjs'
import { newHolder, callbacks, jwtPresentation } from './holder.mjs'
import { claimsOf, didKeyJWK } from './sdjwt.mjs'
import { loginV1 } from './wallet-v1.mjs'

// The programs run on this machine over http: the library refuses
// non-https URLs unless told this is such a setup.
setGlobalConfig({ allowInsecureUrls: true })

const apiKey = 'interop-issuance-api-key-0123456789'

async function offer(issuer, configuration, claims = { givenName: 'Jane', familyName: 'Doe' }) {
  const r = await fetch(issuer.url + '/api/v1/offers', {
    method: 'POST',
    headers: { authorization: 'Bearer ' + apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ credential_configuration_ids: [configuration], claims }),
  })
  assert.equal(r.status, 201, await r.clone().text())
  return r.json()
}

// receive runs the library's pre-authorized flow for one configuration.
async function receive(holder, o, configurationId, signer, txCode = o.tx_code) {
  const client = new Openid4vciClient({ callbacks: callbacks(holder) })
  const credentialOffer = await client.resolveCredentialOffer(o.offer_uri)
  const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer)
  assert.equal(issuerMetadata.originalDraftVersion, Openid4vciVersion.V1, 'the library reads the metadata as OID4VCI 1.0')
  const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode })
  const { c_nonce: nonce } = await client.requestNonce({ issuerMetadata })
  const { jwt } = await client.createCredentialRequestJwtProof({ issuerMetadata, credentialConfigurationId: configurationId, signer, nonce })
  const { credentialResponse } = await client.retrieveCredentials({
    issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId: configurationId, proofs: { jwt: [jwt] },
  })
  return credentialResponse.credentials[0].credential
}

// login answers the verifier's request with a jwt_vp_json.
async function login(verifier, holder, credential) {
  const s = await (await fetch(verifier.url + '/api/v1/sessions', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ definition: 'any-verifiable-id' }),
  })).json()
  const q = new URL(s.authorization_request.replace(/^openid4vp:\/\//, 'https://wallet.invalid/')).searchParams
  const definition = q.get('presentation_definition') ? JSON.parse(q.get('presentation_definition'))
    : await (await fetch(q.get('presentation_definition_uri'))).json()
  const responseURI = q.get('response_uri') || q.get('redirect_uri')
  const d = definition.input_descriptors[0].id
  const submission = {
    id: crypto.randomUUID(), definition_id: definition.id,
    descriptor_map: [{ id: d, format: 'jwt_vp_json', path: '$', path_nested: { id: d, format: 'jwt_vc_json', path: '$.vp.verifiableCredential[0]' } }],
  }
  const vp = await jwtPresentation(holder, credential, { clientId: q.get('client_id'), nonce: q.get('nonce') })
  const answer = await fetch(responseURI, {
    method: 'POST',
    body: new URLSearchParams({ vp_token: vp, presentation_submission: JSON.stringify(submission), state: q.get('state') }),
  })
  assert.equal(answer.status, 200, await answer.clone().text())
  const status = await (await fetch(verifier.url + s.status_url.replace(/^https?:\/\/[^/]+/, ''), {
    headers: { authorization: 'Bearer ' + s.status_token },
  })).json()
  return status
}

test('the npm OID4VCI client receives from cmd/issuer, and the credential logs in to cmd/verifier', async (t) => {
  const issuer = await start(t, 'issuer', { repoFiles: ['issuer.yaml'], env: { ISSUER_API_KEY: apiKey } })
  const verifier = await start(t, 'verifier', { files: { 'config.yaml': anyFormatConfig } })

  await t.test('jwt_vc_json, did:jwk (EdDSA) kid', async () => {
    const holder = await newHolder('EdDSA')
    const o = await offer(issuer, 'VerifiableId_JWT')
    const credential = await receive(holder, o, 'VerifiableId_JWT', { method: 'did', didUrl: holder.kid, alg: 'EdDSA' })
    assert.equal(typeof credential, 'string')
    const claims = JSON.parse(Buffer.from(credential.split('.')[1], 'base64url'))
    assert.equal(claims.sub, holder.did)
    assert.equal(claims.vc.credentialSubject.givenName, 'Jane')
    const status = await login(verifier, holder, credential)
    assert.equal(status.status, 'verified', JSON.stringify(status))
    assert.equal(status.result.holder, holder.did)
  })

  await t.test('jwt_vc_json, jwk (ES256) in the proof header', async () => {
    const holder = await newHolder('ES256')
    const o = await offer(issuer, 'VerifiableId_JWT')
    const credential = await receive(holder, o, 'VerifiableId_JWT', { method: 'jwk', publicJwk: holder.jwk, alg: 'ES256' })
    const claims = JSON.parse(Buffer.from(credential.split('.')[1], 'base64url'))
    assert.deepEqual(claims.cnf.jwk, holder.jwk, 'bound to the proof key (cnf)')
    assert.equal(claims.sub, holder.did, 'its subject is the did:jwk of that key')
    const status = await login(verifier, holder, credential)
    assert.equal(status.status, 'verified', JSON.stringify(status))
  })

  await t.test('ldp_vc (JcsEd25519Signature2020 and eddsa-rdfc-2022)', async () => {
    for (const cfg of ['VerifiableId', 'VerifiableId_DataIntegrity']) {
      const holder = await newHolder('EdDSA')
      const o = await offer(issuer, cfg)
      const credential = await receive(holder, o, cfg, { method: 'did', didUrl: holder.kid, alg: 'EdDSA' })
      assert.equal(typeof credential, 'object')
      assert.equal(credential.credentialSubject.id, holder.did)
      assert.ok(credential.proof, 'signed')
    }
  })

  await t.test('a wrong tx_code is invalid_grant', async () => {
    const holder = await newHolder('EdDSA')
    const o = await offer(issuer, 'VerifiableId_JWT')
    const wrong = o.tx_code === '000000' ? '111111' : '000000'
    await assert.rejects(receive(holder, o, 'VerifiableId_JWT', { method: 'did', didUrl: holder.kid, alg: 'EdDSA' }, wrong),
      (err) => JSON.stringify(err.errorResponse ?? err.message).includes('invalid_grant'))
  })

  // Nothing the issuer handed out reaches its log.
  assert.doesNotMatch(issuer.logs(), /eyJ/)
})

test('the npm OID4VCI client receives a dc+sd-jwt SD-JWT VC from cmd/issuer, and it logs in to cmd/verifier over OID4VP 1.0', async (t) => {
  const issuer = await start(t, 'issuer', { repoFiles: ['issuer.yaml'], env: { ISSUER_API_KEY: apiKey } })
  const verifier = await start(t, 'verifier', { repoFiles: ['config.yaml'] })
  const claims = { givenName: 'Jane', familyName: 'Doe', birthDate: '1993-04-08' }

  // The metadata entry the library reads: format, vct, claims by top-level path.
  const client = new Openid4vciClient({ callbacks: callbacks(await newHolder('EdDSA')) })
  const md = await client.resolveIssuerMetadata(issuer.url)
  const entry = md.credentialIssuer.credential_configurations_supported.VerifiableId_SD_JWT
  assert.equal(entry.format, 'dc+sd-jwt')
  assert.equal(entry.vct, 'VerifiableId')
  assert.deepEqual(entry.credential_metadata.claims.map((c) => c.path), [['givenName'], ['familyName'], ['birthDate']])
  // The issuer's key, published as JWT VC Issuer Metadata too.
  const jwtVcIssuer = await (await fetch(issuer.url + '/.well-known/jwt-vc-issuer')).json()
  assert.equal(jwtVcIssuer.issuer, issuer.url)

  for (const [name, alg, signer] of [
    ['did:jwk kid (EdDSA)', 'EdDSA', (h) => ({ method: 'did', didUrl: h.kid, alg: 'EdDSA' })],
    ['jwk (ES256) in the proof header', 'ES256', (h) => ({ method: 'jwk', publicJwk: h.jwk, alg: 'ES256' })],
  ]) {
    await t.test(name, async () => {
      const holder = await newHolder(alg)
      const o = await offer(issuer, 'VerifiableId_SD_JWT', claims)
      const credential = await receive(holder, o, 'VerifiableId_SD_JWT', signer(holder))
      assert.equal(typeof credential, 'string')
      assert.ok(credential.endsWith('~'), 'an SD-JWT without a KB-JWT')
      const header = JSON.parse(Buffer.from(credential.split('.')[0], 'base64url'))
      assert.equal(header.typ, 'dc+sd-jwt')
      const all = await claimsOf(credential)
      assert.equal(all.vct, 'VerifiableId')
      assert.deepEqual(all.cnf.jwk, holder.jwk, 'bound to the proof key (cnf.jwk)')
      assert.equal(all.givenName, 'Jane')
      assert.equal(all.birthDate, '1993-04-08')
      assert.ok(all.iss.startsWith('did:key:'), 'iss is the issuer DID')
      assert.equal(header.kid.split('#')[0], all.iss, 'kid is a key of that DID')
      // The library verifies the issuer signature with the DID's key, which
      // is also the key of the JWT VC Issuer Metadata.
      const issuerJwk = didKeyJWK(all.iss)
      assert.equal(jwtVcIssuer.jwks.keys[0].x, issuerJwk.x)
      const disclosed = credential.split('~').slice(1, -1).map((d) => JSON.parse(Buffer.from(d, 'base64url'))[1])
      assert.deepEqual(disclosed.sort(), ['birthDate', 'familyName', 'givenName'], 'each claim selectively disclosable')

      // OID4VP 1.0 on the shipped config, the request fetched by POST.
      const s = await (await fetch(verifier.url + '/api/v1/sessions', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ definition: 'verifiable-id', protocol: '1.0' }),
      })).json()
      const answer = await loginV1(s.authorization_request, holder, credential)
      assert.equal(answer.status, 200, answer.body)
      assert.equal(answer.queryId, 'verifiable-id-sd-jwt')
      const status = await (await fetch(verifier.url + s.status_url.replace(/^https?:\/\/[^/]+/, ''), {
        headers: { authorization: 'Bearer ' + s.status_token },
      })).json()
      assert.equal(status.status, 'verified', JSON.stringify(status))
      assert.deepEqual(status.result.credentials[0].credentialSubject, { givenName: 'Jane', familyName: 'Doe' })
    })
  }
  assert.doesNotMatch(issuer.logs(), /eyJ/)
})
