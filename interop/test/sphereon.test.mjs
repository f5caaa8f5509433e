// @sphereon/did-auth-siop 0.19.0 with its @sphereon/pex, against the
// shipped config.yaml unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, Website, shippedConfig, edit } from '../lib/verifier.mjs';
import { tlsFront } from '../lib/tls.mjs';
import { party, jwtCredential, ldCredential } from '../lib/keys.mjs';
import { sphereonLogin } from '../lib/sphereon.mjs';
import { loggedIn, refused, declined, queryOf } from '../lib/assert.mjs';

let v, site, issuer;
before(async () => { v = await start(); site = new Website(v.base); issuer = await party('EdDSA'); });
after(async () => { await v?.stop(); });

for (const flow of ['cross-device', 'same-device']) {
  for (const [alg, method] of [['EdDSA', 'key'], ['ES256', 'jwk']]) {
    test(`sphereon draft-20 ${flow} jwt_vp ${alg} did:${method}`, async () => {
      const holder = await party(alg, method);
      const login = await site.startLogin('verifiable-id', flow);
      const q = queryOf(login.authorization_request);
      assert.equal(q.client_id_scheme, 'redirect_uri');
      assert.equal(q.response_mode, 'direct_post');
      await loggedIn(site, login, await sphereonLogin(login.authorization_request, holder, [await jwtCredential(issuer, holder)]), holder, flow);
    });
  }
}

for (const suite of ['Ed25519Signature2018', 'Ed25519Signature2020', 'JsonWebSignature2020']) {
  for (const flow of ['cross-device', 'same-device']) {
    test(`sphereon draft-20 ${flow} ldp_vp ${suite} (DIDKit) did:key`, async () => {
      const holder = await party('EdDSA');
      const login = await site.startLogin('verifiable-id', flow);
      const vc = await ldCredential(issuer, holder, suite);
      await loggedIn(site, login, await sphereonLogin(login.authorization_request, holder, [vc], { ldProofType: suite }), holder, flow);
    });
  }
}

test('sphereon draft-20 selects the VerifiableId among other credentials', async () => {
  const holder = await party('EdDSA');
  const login = await site.startLogin('verifiable-id');
  const other = await jwtCredential(issuer, holder, 'UniversityDegree');
  const answer = await sphereonLogin(login.authorization_request, holder, [other, await jwtCredential(issuer, holder)]);
  assert.equal(answer.selected, 1);
  await loggedIn(site, login, answer, holder);
});

for (const flow of ['cross-device', 'same-device']) {
  test(`sphereon profile-2022 ${flow} jwt_vp EdDSA did:key`, async () => {
    const holder = await party('EdDSA');
    const login = await site.startLogin('verifiable-id', flow, 'profile-2022');
    const q = queryOf(login.authorization_request);
    assert.equal(q.scope, 'openid');
    assert.ok(q.presentation_definition_uri);
    const answer = await sphereonLogin(login.authorization_request, holder, [await jwtCredential(issuer, holder)]);
    if (flow === 'same-device') {
      // form_post: the library posts itself (no browser), the verifier
      // answers the redirect for the browser.
      assert.ok([200, 303].includes(answer.status), answer.body);
      assert.equal((await site.status(login)).status, 'verified');
      return;
    }
    await loggedIn(site, login, answer, holder);
  });
}

test('sphereon draft-20 decline', async () => {
  const holder = await party('EdDSA');
  const login = await site.startLogin('verifiable-id');
  await declined(site, login, await sphereonLogin(login.authorization_request, holder, [], { decline: 'access_denied' }));
});

test('sphereon draft-20 wrong nonce', async () => {
  const holder = await party('EdDSA');
  const login = await site.startLogin('verifiable-id');
  // The request names another nonce: the library signs what it read.
  const uri = login.authorization_request.replace(/nonce=[^&]+/, 'nonce=another-nonce');
  await refused(site, login, await sphereonLogin(uri, holder, [await jwtCredential(issuer, holder)]), 'nonce_mismatch');
});

test('protocol 1.0 starts an OID4VP 1.0 login: client_id and request_uri only', async () => {
  const login = await site.startLogin('verifiable-id', 'cross-device', '1.0');
  const q = queryOf(login.authorization_request);
  assert.deepEqual(Object.keys(q).sort(), ['client_id', 'request_uri', 'request_uri_method']);
  assert.match(q.client_id, /^decentralized_identifier:did:jwk:/);
});

test('sphereon draft-20 request_uri (unsigned request object) cross-device jwt_vp', async () => {
  const front = await tlsFront();
  const vr = await start(edit(shippedConfig(), 'request_by_reference: false', 'request_by_reference: true'), { publicURL: front.url });
  front.forward(vr.base);
  try {
    const s = new Website(front.url);
    const holder = await party('EdDSA');
    const login = await s.startLogin('verifiable-id');
    assert.ok(queryOf(login.authorization_request).request_uri);
    await loggedIn(s, login, await sphereonLogin(login.authorization_request, holder, [await jwtCredential(issuer, holder)]), holder);
  } finally { await vr.stop(); await front.close(); }
});
