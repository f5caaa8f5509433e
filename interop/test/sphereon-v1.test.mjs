// @sphereon/did-auth-siop 0.20.1, which speaks only OID4VP 1.0 and GETs
// the request_uri, on a "protocol": "1.0" login of the shipped config
// (behind an HTTPS front), presenting SD-JWT VCs (@sd-jwt/sd-jwt-vc 0.19)
// chosen by dcql 3.0.0. Its limits, asserted so they are revisited when
// they change: it refuses the draft-20 request the one-QR dialect serves
// to a GET, and cannot answer the jwt_vc_json query.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, Website, shippedConfig } from '../lib/verifier.mjs';
import { party, jwtCredential } from '../lib/keys.mjs';
import { issueSDJWT } from '../lib/sdjwt.mjs';
import { sphereon020Login } from '../lib/sphereon-v1.mjs';
import { tlsFront } from '../lib/tls.mjs';
import { loggedIn } from '../lib/assert.mjs';
import { jwkDID } from '../lib/v1.mjs';

let v, site, front, issuer;
before(async () => {
  front = await tlsFront();
  v = await start(shippedConfig(), { publicURL: front.url });
  front.forward(v.base);
  site = new Website(front.url);
  issuer = await party('ES256', 'jwk');
});
after(async () => { await v?.stop(); await front?.close(); });

for (const flow of ['cross-device', 'same-device']) {
  for (const alg of ['ES256', 'EdDSA']) {
    test(`sphereon 0.20.1 1.0 ${flow} dc+sd-jwt (holder ${alg})`, async () => {
      const holder = await party(alg, 'jwk');
      const login = await site.startLogin('verifiable-id', flow, '1.0');
      const answer = await sphereon020Login(login.authorization_request, holder, [await issueSDJWT(issuer, holder, { claims: { givenName: 'Jane', familyName: 'Doe', birthDate: '1990-01-01' } })]);
      assert.match(answer.clientID, /^decentralized_identifier:did:jwk:/);
      const st = await loggedIn(site, login, answer, { did: jwkDID(holder.pub) }, flow);
      assert.deepEqual(Object.keys(st.result.credentials[0].credentialSubject).sort(), ['familyName', 'givenName']);
    });
  }
}

test('sphereon 0.20.1 refuses the draft-20 request the one QR serves to a GET (why "protocol": "1.0" exists)', async () => {
  const holder = await party('ES256', 'jwk');
  const login = await site.startLogin('verifiable-id', 'cross-device', '1.0+draft-20');
  await assert.rejects(sphereon020Login(login.authorization_request, holder, [await issueSDJWT(issuer, holder)]), /older draft|DCQL instead of PE/);
  assert.equal((await site.status(login)).status, 'pending');
});

test('sphereon 0.20.1 cannot answer the jwt_vc_json query (expected failure, docs/interop.md)', async () => {
  const holder = await party('EdDSA');
  const login = await site.startLogin('verifiable-id', 'cross-device', '1.0');
  await assert.rejects(sphereon020Login(login.authorization_request, holder, [await jwtCredential(issuer, holder)]));
  assert.equal((await site.status(login)).status, 'pending');
});
