// The OpenID Foundation conformance suite's OID4VP 1.0 verifier modules
// (plan oid4vp-1final-verifier-test-plan, credential format sd_jwt_vc,
// client_id_prefix decentralized_identifier, request_method
// request_uri_signed), driven by a wallet library instead of the suite,
// which cannot run here: @openid4vc/openid4vp 0.4.6 reads and answers the
// request, @sd-jwt/sd-jwt-vc 0.19 issues and presents, and what a module
// breaks on purpose is broken by the test the way the module does. Each
// test is named after its module. The shipped config.yaml, behind an
// HTTPS front; the revoked-credential module with status lists fetched
// from the test's own HTTPS host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { createHash } from 'node:crypto';
import { start, Website, shippedConfig } from '../lib/verifier.mjs';
import { party } from '../lib/keys.mjs';
import { issueSDJWT, presentSDJWT, signerOf } from '../lib/sdjwt.mjs';
import { resolveV1, respondV1, selectDCQL, walletMetadata, client } from '../lib/openid4vc-v1.mjs';
import { tlsFront } from '../lib/tls.mjs';
import { statusListServer, withStatusTrust } from '../lib/statuslist.mjs';
import { loggedIn, refused, queryOf } from '../lib/assert.mjs';
import { jwkDID } from '../lib/v1.mjs';

let v, site, front, issuer, lists;
before(async () => {
  issuer = await party('ES256', 'jwk');
  lists = await statusListServer(issuer, [7]);
  front = await tlsFront();
  v = await start(withStatusTrust(shippedConfig()), { publicURL: front.url, files: { 'status-ca.pem': lists.cert } });
  front.forward(v.base);
  site = new Website(front.url);
});
after(async () => { await v?.stop(); await front?.close(); await lists?.close(); });

// run is one module: a 1.0 login (direct_post.jwt: the wallet says it
// encrypts), an SD-JWT VC, the presentation the module wants.
async function run({ issue = {}, tamper, presentWith = {} } = {}) {
  const holder = await party('ES256', 'jwk');
  const login = await site.startLogin('verifiable-id', 'cross-device', '1.0');
  const { request } = await resolveV1(login.authorization_request, { metadata: walletMetadata({ encrypt: true }) });
  const [choice] = await selectDCQL(request.dcql_query, [await issueSDJWT(issuer, holder, issue)]);
  let presentation = await presentSDJWT(holder, choice.credential, { givenName: true, familyName: true },
    { nonce: request.nonce, aud: request.client_id, ...presentWith });
  if (tamper) presentation = await tamper(presentation, request, holder);
  const answer = await respondV1(request, { vp_token: { [choice.queryId]: [presentation] } });
  assert.equal(answer.mode, 'direct_post.jwt');
  return { login, answer, holder, request };
}

const b64 = (b) => Buffer.from(b).toString('base64url');
const sdHash = (sdjwt) => b64(createHash('sha256').update(sdjwt).digest());
const kbless = (p) => p.slice(0, p.lastIndexOf('~') + 1);

// kb signs a KB-JWT as a module does when it breaks one on purpose.
async function kb(signer, alg, payload) {
  const enc = (o) => b64(JSON.stringify(o));
  const input = enc({ alg, typ: 'kb+jwt' }) + '.' + enc(payload);
  return input + '.' + (await signer(input));
}

test('oid4vp-1final-verifier-happy-flow', async () => {
  const { login, answer, holder } = await run();
  const st = await loggedIn(site, login, answer, { did: jwkDID(holder.pub) });
  assert.deepEqual(Object.keys(st.result.credentials[0].credentialSubject).sort(), ['familyName', 'givenName']);
});

test('oid4vp-1final-verifier-request-uri-method-post', async () => {
  const login = await site.startLogin('verifiable-id', 'cross-device', '1.0');
  const q = queryOf(login.authorization_request);
  assert.equal(q.request_uri_method, 'post');
  assert.match(q.request_uri, /^https:\/\//);
  // The module's own POST: form-encoded wallet_metadata and wallet_nonce,
  // Accept application/oauth-authz-req+jwt; a 200 of that type, signed,
  // the wallet_nonce echoed.
  const walletNonce = b64(crypto.getRandomValues(new Uint8Array(16)));
  const r = await fetch(q.request_uri, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/oauth-authz-req+jwt' },
    body: new URLSearchParams({ wallet_metadata: JSON.stringify(walletMetadata({ encrypt: true })), wallet_nonce: walletNonce }),
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/oauth-authz-req+jwt');
  const jwt = await r.text();
  assert.equal(jose.decodeProtectedHeader(jwt).typ, 'oauth-authz-req+jwt');
  assert.equal(jose.decodeJwt(jwt).wallet_nonce, walletNonce);
  // The library then takes the request object as fetched (by value) and
  // checks the wallet_nonce it expects.
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: { client_id: q.client_id, request: jwt }, wallet: { expectedNonce: walletNonce } });
  const request = resolved.authorizationRequestPayload;
  const holder = await party('ES256', 'jwk');
  const [choice] = await selectDCQL(request.dcql_query, [await issueSDJWT(issuer, holder)]);
  const presentation = await presentSDJWT(holder, choice.credential, { givenName: true, familyName: true }, { nonce: request.nonce, aud: request.client_id });
  await loggedIn(site, login, await respondV1(request, { vp_token: { [choice.queryId]: [presentation] } }), { did: jwkDID(holder.pub) });
});

test('request fetched twice: both fetches get the same request, each wallet_nonce echoed', async () => {
  const login = await site.startLogin('verifiable-id', 'cross-device', '1.0');
  const q = queryOf(login.authorization_request);
  const fetchWith = async (walletNonce) => {
    const r = await fetch(q.request_uri, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/oauth-authz-req+jwt' },
      body: new URLSearchParams({ wallet_metadata: JSON.stringify(walletMetadata({ encrypt: true })), wallet_nonce: walletNonce }),
    });
    assert.equal(r.status, 200);
    return r.text();
  };
  const [a, b] = [await fetchWith('nonce-one'), await fetchWith('nonce-two')];
  const pa = jose.decodeJwt(a), pb = jose.decodeJwt(b);
  assert.equal(pa.wallet_nonce, 'nonce-one');
  assert.equal(pb.wallet_nonce, 'nonce-two');
  for (const p of [pa, pb]) { delete p.wallet_nonce; delete p.iat; }
  assert.deepEqual(pa, pb);
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: { client_id: q.client_id, request: b }, wallet: { expectedNonce: 'nonce-two' } });
  const request = resolved.authorizationRequestPayload;
  const holder = await party('ES256', 'jwk');
  const [choice] = await selectDCQL(request.dcql_query, [await issueSDJWT(issuer, holder)]);
  const presentation = await presentSDJWT(holder, choice.credential, { givenName: true, familyName: true }, { nonce: request.nonce, aud: request.client_id });
  await loggedIn(site, login, await respondV1(request, { vp_token: { [choice.queryId]: [presentation] } }), { did: jwkDID(holder.pub) });
});

test('oid4vp-1final-verifier-invalid-credential-signature', async () => {
  const { login, answer } = await run({
    tamper: async (p, request, holder) => {
      // The issuer's signature corrupted; the KB-JWT made anew over what
      // is presented, so only the issuer signature is wrong.
      const [jwt, ...rest] = kbless(p).split('~');
      const [h, pl, sig] = jwt.split('.');
      const bad = sig.slice(0, 10) + (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11);
      const sd = [h, pl, bad].join('.') + '~' + rest.join('~');
      return sd + await kb(signerOf(holder), holder.alg, { iat: Math.floor(Date.now() / 1000), nonce: request.nonce, aud: request.client_id, sd_hash: sdHash(sd) });
    },
  });
  await refused(site, login, answer, 'invalid_vc_proof');
});

test('oid4vp-1final-verifier-invalid-sd-hash', async () => {
  const { login, answer } = await run({
    tamper: async (p, request, holder) => kbless(p) + await kb(signerOf(holder), holder.alg,
      { iat: Math.floor(Date.now() / 1000), nonce: request.nonce, aud: request.client_id, sd_hash: sdHash('something else') }),
  });
  await refused(site, login, answer, 'key_binding_sd_hash');
});

test('oid4vp-1final-verifier-invalid-kb-jwt-signature', async () => {
  const { login, answer } = await run({
    tamper: async (p, request) => {
      const other = await party('ES256', 'jwk');
      const sd = kbless(p);
      return sd + await kb(signerOf(other), other.alg, { iat: Math.floor(Date.now() / 1000), nonce: request.nonce, aud: request.client_id, sd_hash: sdHash(sd) });
    },
  });
  await refused(site, login, answer, 'key_binding_signature_invalid');
});

test('oid4vp-1final-verifier-invalid-kb-jwt-nonce', async () => {
  const { login, answer } = await run({ presentWith: { nonce: 'not-the-request-nonce' } });
  await refused(site, login, answer, 'nonce_mismatch');
});

test('oid4vp-1final-verifier-invalid-kb-jwt-aud', async () => {
  const { login, answer, request } = await run({ presentWith: { aud: 'https://another-verifier.example' } });
  assert.notEqual(request.client_id, 'https://another-verifier.example');
  await refused(site, login, answer, 'audience_mismatch');
});

test('oid4vp-1final-verifier-kb-jwt-iat-in-past', async () => {
  const { login, answer } = await run({ presentWith: { iat: Math.floor(Date.now() / 1000) - 3600 } });
  await refused(site, login, answer, 'key_binding_iat');
});

test('oid4vp-1final-verifier-kb-jwt-iat-in-future', async () => {
  const { login, answer } = await run({ presentWith: { iat: Math.floor(Date.now() / 1000) + 3600 } });
  await refused(site, login, answer, 'key_binding_iat');
});

test('oid4vp-1final-verifier-present-revoked-credential', async () => {
  const { login, answer } = await run({ issue: { status: { status_list: { uri: lists.uri, idx: 7 } } } });
  await refused(site, login, answer, 'revoked');
});

test('oid4vp-1final-verifier-present-credential-without-status (and a status list entry that is valid)', async () => {
  const { login, answer, holder } = await run({ issue: { status: { status_list: { uri: lists.uri, idx: 3 } } } });
  const st = await loggedIn(site, login, answer, { did: jwkDID(holder.pub) });
  assert.equal(st.result.credentials[0].status.state, 'active');
  const plain = await run();
  assert.equal((await loggedIn(site, plain.login, plain.answer, { did: jwkDID(plain.holder.pub) })).result.credentials[0].status, undefined);
});

test('oid4vp-1final-verifier-minimal-cnf-jwk', async () => {
  // cnf.jwk with the required members only (kty, crv, x, y).
  const { login, answer, holder } = await run();
  await loggedIn(site, login, answer, { did: jwkDID(holder.pub) });
});
